"""Fast multi-row INSERT for bulk writes (imports, the demo, the audit rows they leave).

`bulk_create` spends most of its time compiling SQL value by value (measured: ~85 % of an
enterprise import's write phase); the rows here are already validated, so they are adapted
once per column and sent with `executemany`, which SQLite and psycopg both run efficiently.
"""

from collections.abc import Callable, Iterable, Sequence

from django.db import connection, models

# Field types whose Python values the database drivers take as they are.
_AS_IS = {
    "AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "ForeignKey", "IntegerField",
    "PositiveBigIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField", "SmallIntegerField",
    "TextField", "OneToOneField",
}


def _adapter(field: models.Field) -> Callable:
    ops = connection.ops
    kind = field.get_internal_type()
    if kind in _AS_IS:
        return lambda v: v
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "DateTimeField":
        return ops.adapt_datetimefield_value
    if kind == "DecimalField":
        return lambda v: ops.adapt_decimalfield_value(v, field.max_digits, field.decimal_places)
    if kind == "JSONField":
        return lambda v: None if v is None else ops.adapt_json_value(v, field.encoder)
    return lambda v: field.get_db_prep_save(v, connection)


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence], *, batch_size: int = 5000) -> int:
    """INSERT `rows` (tuples of Python values in the order of `fields`, attnames) into `model`'s table."""
    concrete = [model._meta.get_field(name) for name in fields]
    adapters = [_adapter(f) for f in concrete]
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in concrete)
    sql = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(concrete))})"
    count = 0
    batch: list[tuple] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(tuple(adapt(value) for adapt, value in zip(adapters, row, strict=True)))
            if len(batch) >= batch_size:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def insert_instances(objs: Sequence[models.Model], *, batch_size: int = 5000) -> int:
    """INSERT unsaved, validated instances (primary keys left to the database; auto_now set by the caller)."""
    if not objs:
        return 0
    model = type(objs[0])
    names = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
    return insert_rows(model, names, ([getattr(o, n) for n in names] for o in objs), batch_size=batch_size)
