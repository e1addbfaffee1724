"""Graph arithmetic over a catalog's prerequisite DAG for its editor and pages. Pure: codes in, codes out.

`requires` maps an item code to the codes it needs (the result document of each). What a route's own DAG
is (prerequisites outside the route bypassed) is machine.effective_requires, the rule cases run on.
"""

from collections.abc import Iterable, Mapping


def find_cycle(requires: Mapping[str, Iterable[str]]) -> list[str] | None:
    """A cycle as a path [a, b, …, a] (a needs b needs … needs a), or None when the graph is acyclic.

    Iterative DFS (a catalog is small, but a recursion limit must not be what rejects an edit). Codes that
    are only referenced, never keys, count as items without prerequisites.
    """
    graph = {code: tuple(needs) for code, needs in requires.items()}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for root in graph:
        if state.get(root):
            continue
        path = [root]
        stack = [iter(graph.get(root, ()))]
        state[root] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
                continue
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(graph.get(nxt, ())))
    return None


def longest_chain(requires: Mapping[str, Iterable[str]], weights: Mapping[str, int]) -> tuple[int, list[str]]:
    """The chain of prerequisites with the largest sum of weights, and that sum.

    Used for a route's promised working days along its critical chain (items of one step run in
    parallel, so the whole is the heaviest path, not the sum of everything). Among equally heavy chains the
    one with more items wins (即办 items weigh 0 but are still steps), then the first listed. Returns (0, [])
    for an empty graph.
    """
    best: dict[str, tuple[int, list[str]]] = {}

    def visit(code: str) -> tuple[int, list[str]]:
        if code not in best:
            heaviest = (0, [])
            for need in requires.get(code, ()):
                candidate = visit(need)
                if _heavier(candidate, heaviest):
                    heaviest = candidate
            best[code] = (heaviest[0] + weights.get(code, 0), [*heaviest[1], code])
        return best[code]

    result: tuple[int, list[str]] = (0, [])
    for code in requires:
        candidate = visit(code)
        if _heavier(candidate, result):
            result = candidate
    return result


def _heavier(a: tuple[int, list[str]], b: tuple[int, list[str]]) -> bool:
    return (a[0], len(a[1])) > (b[0], len(b[1]))
