// 审批统计: average working days per stage against the average limit, and each construction case's
// whole-process working days against its route's target. Data via json_script (CSP forbids inline scripts);
// the same figures are in the tables under the charts. A bar opens the records (or the case) behind it.
(function () {
  "use strict";

  const dataElement = document.getElementById("approvals-statistics-chart");
  if (!dataElement || typeof window.echarts === "undefined") return;
  const data = JSON.parse(dataElement.textContent);

  function draw(name, spec, series) {
    const element = document.querySelector(`[data-chart='${name}']`);
    if (!element || !spec || !spec.rows || spec.rows.length === 0) return;
    element.hidden = false;
    const chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      color: ["#1d4ed8", "#b7791f", "#1a202c"],
      aria: { enabled: true },
      title: { text: spec.title, left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      legend: { bottom: 0 },
      grid: { left: 48, right: 16, top: 40, bottom: 56 },
      xAxis: { type: "category", data: spec.rows.map((r) => r.name), axisLabel: { interval: 0, hideOverlap: true } },
      yAxis: { type: "value", name: data.unit, minInterval: 1 },
      series: series(spec),
    });
    chart.on("click", (params) => {
      const row = spec.rows[params.dataIndex];
      if (row && row.url) window.location.assign(row.url);
    });
    window.addEventListener("resize", () => chart.resize());
  }

  draw("stages", data.stages, (spec) => [
    { name: spec.used, type: "bar", barMaxWidth: 48, cursor: "pointer", data: spec.rows.map((r) => r.used) },
    { name: spec.limit, type: "bar", barMaxWidth: 48, data: spec.rows.map((r) => r.limit) },
  ]);
  draw("cases", data.cases, (spec) => [
    {
      name: spec.used, type: "bar", barMaxWidth: 48, cursor: "pointer",
      data: spec.rows.map((r) => ({
        value: r.used,
        itemStyle: r.target !== null && r.used > r.target ? { color: "#c81e1e" } : undefined,
      })),
    },
    // the target as a short dark bar across each case's column: visible for one case as for many
    { name: spec.target, type: "scatter", symbol: "rect", symbolSize: [56, 3], itemStyle: { color: "#1a202c" },
      data: spec.rows.map((r) => r.target) },
  ]);
})();
