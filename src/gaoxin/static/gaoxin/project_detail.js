// A project's monthly completed investment: bars per month, with the cumulative completion of the year's
// plan against time progress (month/12). Data arrives through json_script (CSP forbids inline scripts);
// the same figures are in the table beneath, which stays when the chart cannot be drawn.
(function () {
  "use strict";

  const element = document.querySelector("[data-project-months]");
  const dataElement = document.getElementById("project-months");
  if (!element || !dataElement || typeof window.echarts === "undefined") return;
  const data = JSON.parse(dataElement.textContent);
  if (!data.monthly.some((v) => v !== null)) return;
  element.hidden = false;
  const hasPlan = data.cumulative_pct.some((v) => v !== null);
  const series = [{ name: data.labels.monthly, type: "bar", data: data.monthly }];
  const yAxis = [{ type: "value", name: data.labels.unit }];
  if (hasPlan) {
    yAxis.push({ type: "value", name: "%", min: 0 });
    series.push({ name: data.labels.cumulative, type: "line", yAxisIndex: 1, data: data.cumulative_pct });
    series.push({ name: data.labels.time, type: "line", yAxisIndex: 1, data: data.time_pct,
      lineStyle: { type: "dashed" } });
  }
  const chart = window.echarts.init(element, null, { renderer: "canvas" });
  chart.setOption({
    color: ["#1d4ed8", "#2f855a", "#b7791f"],
    aria: { enabled: true },
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.months },
    yAxis: yAxis,
    series: series,
  });
  window.addEventListener("resize", () => chart.resize());
})();
