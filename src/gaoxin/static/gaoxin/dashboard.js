// Home dashboard charts. The data arrives through json_script (CSP forbids inline scripts); the same
// figures are in the tables beneath each chart, which stay open when the charts cannot be drawn.
(function () {
  "use strict";

  const dataElement = document.getElementById("dashboard-data");
  if (!dataElement || typeof window.echarts === "undefined") return;
  const data = JSON.parse(dataElement.textContent);
  const palette = ["#1d4ed8", "#2f855a", "#b7791f", "#c81e1e", "#6b46c1", "#0f766e", "#9c4221", "#2b6cb0",
    "#718096", "#d53f8c"];
  const charts = [];

  // Every bar and slice leads to the list of the records it counts (items without a url have no filter).
  function linkTo(items) {
    return (params) => {
      const item = items[params.dataIndex];
      if (item && item.url) window.location.assign(item.url);
    };
  }

  function industryOption(block) {
    const items = block.items;
    return {
      color: palette,
      aria: { enabled: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: items.map((i) => i.name),
        axisLabel: { width: 180, overflow: "truncate" } },
      series: [{ name: block.series, type: "bar", data: items.map((i) => i.value),
        label: { show: true, position: "right" }, cursor: "pointer" }],
    };
  }

  function areaOption(block) {
    return {
      color: palette,
      aria: { enabled: true },
      tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
      legend: { type: "scroll", orient: "vertical", right: 0, top: "middle" },
      series: [{
        name: block.series, type: "pie", radius: ["40%", "70%"], center: ["40%", "50%"],
        label: { formatter: "{b}\n{c}" }, cursor: "pointer",
        data: block.items.map((i) => ({ name: i.name, value: i.value })),
      }],
    };
  }

  function landOption(block) {
    const items = block.items;
    return {
      color: ["#1d4ed8", "#b7791f"],
      aria: { enabled: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: items.map((i) => i.name) },
      yAxis: [
        { type: "value", name: block.area_series },
        { type: "value", name: block.count_series, minInterval: 1, splitLine: { show: false } },
      ],
      series: [
        { name: block.area_series, type: "bar", yAxisIndex: 0, cursor: "pointer",
          data: items.map((i) => Number(i.area_mu)) },
        { name: block.count_series, type: "bar", yAxisIndex: 1, cursor: "pointer",
          data: items.map((i) => i.count) },
      ],
    };
  }

  const builders = { industry: industryOption, area: areaOption, land: landOption };

  document.querySelectorAll("[data-chart]").forEach((element) => {
    const key = element.dataset.chart;
    const block = data[key];
    if (!block || !builders[key] || block.items.length === 0) return;
    element.hidden = false;
    const chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(builders[key](block));
    chart.on("click", linkTo(block.items));
    charts.push(chart);
    // The chart now shows the figures; the table stays one click away for screen readers and copying.
    const table = element.parentElement.querySelector("details.chart-data");
    if (table) table.open = false;
  });

  let pending = null;
  window.addEventListener("resize", () => {
    if (pending) window.cancelAnimationFrame(pending);
    pending = window.requestAnimationFrame(() => charts.forEach((chart) => chart.resize()));
  });
})();
