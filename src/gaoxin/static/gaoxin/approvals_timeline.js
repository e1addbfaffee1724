// 审批时间线: an ECharts Gantt of a case's items, one row per item grouped under its stage. A bar runs from
// acceptance to the decision (or the due date while open); pauses of the legal clock are gaps with a thin grey
// line; an open item past its due date gets a red stretch up to today; items not yet accepted are drawn pale
// (projected from their prerequisites). Data via json_script (CSP forbids inline scripts); the table under the
// chart holds the same figures. Clicking a bar opens the item.
(function () {
  "use strict";

  const dataElement = document.getElementById("approvals-timeline-data");
  const element = document.querySelector("[data-chart='case-gantt']");
  if (!dataElement || !element || typeof window.echarts === "undefined") return;
  const data = JSON.parse(dataElement.textContent);
  const rows = data.rows || [];
  if (!rows.some((r) => r.kind === "item" && r.start)) return;

  const DAY = 86400000;
  const day = (iso) => Date.parse(iso + "T00:00:00");
  const today = day(data.today);
  const L = data.labels || {};
  const COLORS = {
    "正常": "#2f855a", "按期办结": "#2f855a", "预警": "#d69e2e", "逾期": "#c81e1e", "逾期办结": "#c81e1e",
  };
  const PLANNED = "#cbd5e0";
  const OPEN = "#1d4ed8";
  const PAUSE = "#a0aec0";

  // pieces: [row, from, to (exclusive, ms), kind, colour, rowIndexInData]
  const pieces = [];
  rows.forEach((row, index) => {
    if (row.kind !== "item" || !row.start) return;
    const start = day(row.start) + DAY; // the acceptance day itself is not counted: the bar starts after it
    const endIso = row.decided || row.due || row.start;
    let end = day(endIso) + DAY;
    if (end < start) end = start; // 即办: decided on the acceptance day
    const colour = row.planned ? PLANNED : (COLORS[row.status] || OPEN);
    const pauses = (row.pauses || []).map((p) => [day(p[0]), day(p[1]) + DAY]).sort((a, b) => a[0] - b[0]);
    let cursor = start;
    pauses.forEach(([from, to]) => {
      if (from > cursor) pieces.push([index, cursor, Math.min(from, end), "run", colour]);
      pieces.push([index, Math.max(from, start), to, "pause", PAUSE]);
      cursor = Math.max(cursor, to);
    });
    if (cursor < end) pieces.push([index, cursor, end, "run", colour]);
    if (start === end) pieces.push([index, start - DAY / 2, start + DAY / 2, "run", colour]); // a visible tick
    if (!row.decided && !row.planned && row.status === "逾期" && today + DAY > end) {
      pieces.push([index, end, today + DAY, "overdue", COLORS["逾期"]]);
    }
  });

  element.hidden = false;
  const chart = window.echarts.init(element, null, { renderer: "canvas" });
  const categories = rows.map((r) => (r.kind === "stage" ? "{stage|" + r.label + "}" : r.label));

  function renderItem(params, api) {
    const rowIndex = api.value(0);
    const from = api.coord([api.value(1), rowIndex]);
    const to = api.coord([api.value(2), rowIndex]);
    const band = api.size([0, 1])[1];
    const kind = pieces[params.dataIndex][3];
    const height = kind === "pause" ? Math.max(2, band * 0.12) : band * 0.55;
    const shape = window.echarts.graphic.clipRectByRect(
      { x: from[0], y: from[1] - height / 2, width: Math.max(to[0] - from[0], 2), height: height },
      { x: params.coordSys.x, y: params.coordSys.y, width: params.coordSys.width, height: params.coordSys.height },
    );
    if (!shape) return null;
    const row = rows[rowIndex];
    return {
      type: "rect",
      shape: shape,
      style: {
        fill: pieces[params.dataIndex][4],
        opacity: kind === "overdue" ? 0.55 : 1,
        stroke: row.critical && kind === "run" ? "#1a202c" : null,
        lineWidth: row.critical && kind === "run" ? 1 : 0,
        lineDash: row.planned ? [4, 3] : null,
      },
    };
  }

  function tooltip(params) {
    const piece = pieces[params.dataIndex];
    const row = rows[piece[0]];
    const lines = [`<strong>${row.label}</strong>（${row.department}）`, `${row.state_label}${row.status ? " · " + row.status : ""}`];
    if (row.planned) lines.push(L.planned);
    lines.push(`${L.accepted}：${row.start}`);
    if (row.due) lines.push(`${L.due}：${row.due}`);
    if (row.decided) lines.push(`${L.decided}：${row.decided}`);
    if (row.used_wd !== null && row.used_wd !== undefined) lines.push(`${L.used}：${row.used_wd} · ${L.remaining}：${row.remaining_wd}`);
    if (piece[3] === "pause") lines.push(L.paused);
    if (piece[3] === "overdue") lines.push(L.overdue);
    return lines.join("<br>");
  }

  chart.setOption({
    aria: { enabled: true },
    animation: false,
    grid: { left: 8, right: 24, top: 32, bottom: 32, containLabel: true },
    tooltip: { trigger: "item", formatter: tooltip },
    xAxis: { type: "time", position: "top", splitLine: { show: true, lineStyle: { color: "#edf2f7" } } },
    yAxis: {
      type: "category", data: categories, inverse: true, axisTick: { show: false },
      axisLabel: { width: 220, overflow: "truncate", rich: { stage: { fontWeight: "bold", color: "#1a202c" } } },
    },
    series: [{
      type: "custom",
      renderItem: renderItem,
      encode: { x: [1, 2], y: 0 },
      data: pieces.map((p) => [p[0], p[1], p[2]]),
      cursor: "pointer",
      markLine: {
        silent: true, symbol: "none",
        lineStyle: { color: "#c81e1e", type: "dashed" },
        label: { formatter: L.today, position: "end" },
        data: [{ xAxis: today + DAY / 2 }],
      },
    }],
  });
  chart.on("click", (params) => {
    const piece = pieces[params.dataIndex];
    const row = piece && rows[piece[0]];
    if (row && row.url) window.location.assign(row.url);
  });
  window.addEventListener("resize", () => chart.resize());
})();
