// 经济运行总览: growth lines, target progress, key projects and signings as ECharts. Data via json_script (the
// CSP forbids inline scripts); every chart has its data table beside it, which stays open without the chart,
// and a click on a bar or a line opens the records behind it.
(function () {
  "use strict";

  const dataElement = document.getElementById("economy-dashboard-data");
  if (!dataElement || typeof window.echarts === "undefined") return;
  const data = JSON.parse(dataElement.textContent);
  const COLORS = ["#1d4ed8", "#b7791f", "#2f855a", "#c81e1e", "#6b46c1", "#0e7490", "#718096", "#d53f8c", "#744210"];
  const pct = (v) => (v === null || v === undefined ? "—" : v + "%");

  function draw(key, option, onClick) {
    const element = document.querySelector(`[data-chart='${key}']`);
    if (!element) return;
    element.hidden = false;
    const chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(Object.assign({ color: COLORS, aria: { enabled: true } }, option));
    if (onClick) chart.on("click", onClick);
    const table = element.parentElement.querySelector("details.chart-data");
    if (table) table.open = false;
    window.addEventListener("resize", () => chart.resize());
  }

  function go(url) {
    if (url) window.location.assign(url);
  }

  const growth = data.growth;
  if (growth && growth.series.length) {
    // One colour per indicator: this year's line solid, last year's dashed in the same colour.
    const colourOf = {};
    let next = 0;
    const series = growth.series.map((s) => {
      const base = s.url;
      if (!(base in colourOf)) colourOf[base] = COLORS[next++ % COLORS.length];
      return {
        name: s.name, type: "line", data: s.data, connectNulls: true, showSymbol: true, symbolSize: 6,
        cursor: "pointer", url: s.url,
        itemStyle: { color: colourOf[base] },
        lineStyle: { color: colourOf[base], type: s.dashed ? "dashed" : "solid", width: s.dashed ? 1.5 : 2.5 },
      };
    });
    // Headline indicators show at first; the others are one legend click away.
    const selected = {};
    growth.series.forEach((s) => { selected[s.name] = s.headline; });
    draw("growth", {
      tooltip: { trigger: "axis", valueFormatter: pct },
      legend: { type: "scroll", top: 0, selected: selected },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: growth.categories, boundaryGap: false },
      yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
      series: series,
    }, (params) => go(growth.series[params.seriesIndex] && growth.series[params.seriesIndex].url));
  }

  const targets = data.targets;
  if (targets && targets.categories.length) {
    draw("targets", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: pct },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: targets.categories },
      yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
      series: [
        { name: targets.series[0], type: "bar", data: targets.target, cursor: "pointer",
          itemStyle: { color: "#cbd5e0" }, label: { show: true, position: "top", formatter: (p) => pct(p.value) } },
        { name: targets.series[1], type: "bar", data: targets.current, cursor: "pointer",
          label: { show: true, position: "top", formatter: (p) => pct(p.value) } },
      ],
    }, (params) => go(targets.urls[params.dataIndex]));
  }

  const keys = data.key_projects;
  if (keys && keys.levels.length) {
    draw("key-projects", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: pct },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: keys.levels },
      yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
      series: [
        { name: keys.series[0], type: "bar", data: keys.completion, cursor: "pointer",
          label: { show: true, position: "top", formatter: (p) => pct(p.value) } },
        { name: keys.series[1], type: "bar", data: keys.time_progress, cursor: "pointer",
          itemStyle: { color: "#b7791f" }, label: { show: true, position: "top", formatter: (p) => pct(p.value) } },
      ],
    }, (params) => go(keys.urls[params.dataIndex]));
  }

  function amounts(key) {
    const d = data[key];
    if (!d || !d.names.length) return;
    draw(key, {
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" },
        formatter: (items) => `${items[0].name}：${items[0].value} ${d.unit}（${d.counts[items[0].dataIndex]} 个）`,
      },
      grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", axisLabel: { formatter: `{value}` } },
      yAxis: { type: "category", data: d.names.slice().reverse() },
      series: [{
        type: "bar", data: d.values.slice().reverse(), cursor: "pointer",
        label: { show: true, position: "right", formatter: (p) => p.value + d.unit },
      }],
    }, (params) => go(d.urls[d.names.length - 1 - params.dataIndex]));
  }
  amounts("channels");
  amounts("industries");
})();
