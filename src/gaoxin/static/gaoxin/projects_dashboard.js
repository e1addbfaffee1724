// 项目总览: key-project completion vs 时序进度 per level. Data via json_script (CSP forbids inline
// scripts); the same figures are in the table beside the chart, which stays open without the chart.
(function () {
  "use strict";

  const dataElement = document.getElementById("key-project-data");
  const element = document.querySelector("[data-chart='key-projects']");
  if (!dataElement || !element || typeof window.echarts === "undefined") return;
  const data = JSON.parse(dataElement.textContent);
  if (!data.levels || data.levels.length === 0) return;
  element.hidden = false;
  const chart = window.echarts.init(element, null, { renderer: "canvas" });
  chart.setOption({
    color: ["#1d4ed8", "#b7791f"],
    aria: { enabled: true },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: (v) => (v === null ? "—" : v + "%") },
    legend: { top: 0 },
    grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.levels },
    yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
    series: [
      { name: data.series[0], type: "bar", data: data.completion, cursor: "pointer", label: { show: true, position: "top", formatter: "{c}%" } },
      { name: data.series[1], type: "bar", data: data.time_progress, cursor: "pointer", label: { show: true, position: "top", formatter: "{c}%" } },
    ],
  });
  chart.on("click", (params) => {
    const url = data.urls[params.dataIndex];
    if (url) window.location.assign(url);
  });
  const table = element.parentElement.querySelector("details.chart-data");
  if (table) table.open = false;
  window.addEventListener("resize", () => chart.resize());
})();
