// 亩均评价 charts: a run's class counts per group, the zone's classes across years, and one enterprise's
// score and class across years. Data arrives through json_script (CSP forbids inline scripts); every chart
// has the same figures in a table beside or beneath it, so nothing is lost when a chart cannot be drawn.
(function () {
  "use strict";

  if (typeof window.echarts === "undefined") return;
  const palette = ["#2f855a", "#1d4ed8", "#b7791f", "#c81e1e", "#6b46c1", "#0f766e", "#718096"];
  const charts = [];

  function readJson(id) {
    const element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function draw(element, option) {
    element.hidden = false;
    const chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(option);
    charts.push(chart);
  }

  // A run's page: one bar chart of final classes per group.
  const groups = readJson("evaluation-class-charts") || [];
  document.querySelectorAll("[data-class-chart]").forEach((element) => {
    const group = groups.find((g) => g.code === element.dataset.classChart);
    if (!group || group.classes.length === 0) return;
    draw(element, {
      color: palette,
      aria: { enabled: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: group.classes },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ name: group.label, type: "bar", colorBy: "data", label: { show: true, position: "top" },
        data: group.counts }],
    });
  });

  // The year-over-year page: a stacked bar of classes per year.
  const history = readJson("evaluation-history");
  const historyElement = document.querySelector("[data-history-classes]");
  if (history && historyElement && history.years.length > 0) {
    draw(historyElement, {
      color: palette,
      aria: { enabled: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: history.years },
      yAxis: { type: "value", minInterval: 1 },
      series: history.series.map((s) => ({ name: s.name, type: "bar", stack: "classes", data: s.data,
        label: { show: true, formatter: (p) => (p.value ? p.value : "") } })),
    });
  }

  // A result's page: the enterprise's score per year, labelled with its class.
  const trend = readJson("evaluation-result-history");
  const trendElement = document.querySelector("[data-history-chart]");
  if (trend && trendElement && trend.years.length > 0) {
    draw(trendElement, {
      color: palette.slice(1),
      aria: { enabled: true },
      // the tooltip is HTML: class labels come from a scheme's text, so they are escaped
      tooltip: { trigger: "axis", formatter: (items) => items.map((p) => window.echarts.format.encodeHTML(
        `${p.name}：${p.value === null || p.value === undefined ? "—" : p.value}（${trend.classes[p.dataIndex]}）`)).join("<br>") },
      grid: { left: 8, right: 24, top: 24, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: trend.years },
      yAxis: { type: "value", scale: true },
      series: [{ type: "line", data: trend.scores, connectNulls: false, symbolSize: 8,
        label: { show: true, formatter: (p) => trend.classes[p.dataIndex] } }],
    });
  }

  let pending = null;
  window.addEventListener("resize", () => {
    if (pending) window.cancelAnimationFrame(pending);
    pending = window.requestAnimationFrame(() => charts.forEach((chart) => chart.resize()));
  });
})();
