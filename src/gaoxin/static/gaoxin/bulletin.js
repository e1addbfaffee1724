// 经济运行简报: draws each chart of the bulletin with ECharts from its json_script data (CSP forbids inline
// scripts). Loaded as a static file by the preview page, and inlined into the standalone .html download, so
// it must not depend on anything but window.echarts. The same figures are in the data table under each chart.
(function () {
  "use strict";

  const COLOURS = ["#1f4e9c", "#c0392b", "#2e8b57", "#d68910", "#6c3483", "#5d6d7e"];
  const COUNT_UNITS = ["个", "项", "家", "户"];

  // The bulletin's number rules: counts whole, % with one decimal (12.0), amounts with a trailing .0 dropped.
  function label(value, unit) {
    if (value === null || value === undefined) return "";
    if (COUNT_UNITS.indexOf(unit) >= 0) return String(Math.round(value));
    const text = (Math.round(value * 10) / 10).toFixed(1);
    return unit !== "%" && text.endsWith(".0") ? text.slice(0, -2) : text;
  }

  function option(data) {
    const line = data.kind === "line";
    return {
      color: COLOURS,
      animation: false,
      aria: { enabled: true },
      grid: { left: 48, right: 24, top: 40, bottom: 56 },
      tooltip: {
        trigger: "axis",
        valueFormatter: (v) => (v === null || v === undefined ? "—" : `${label(v, data.unit)} ${data.unit}`),
      },
      legend: { bottom: 0 },
      xAxis: { type: "category", data: data.categories, boundaryGap: !line },
      yAxis: { type: "value", name: data.unit_label, nameTextStyle: { align: "left" } },
      series: data.series.map((s) => ({
        name: s.name,
        type: line ? "line" : "bar",
        data: s.values,
        // Quarterly figures (GDP) join their quarters across the months that have none.
        connectNulls: true,
        labelLayout: { hideOverlap: true },
        label: { show: true, position: "top", formatter: (p) => label(p.value, data.unit) },
      })),
    };
  }

  function draw() {
    if (typeof window.echarts === "undefined") return;
    document.querySelectorAll(".bulletin [data-chart]").forEach((element) => {
      const source = document.getElementById(element.dataset.source || "");
      if (!source) return;
      const data = JSON.parse(source.textContent);
      if (!data.series || data.series.length === 0) return;
      element.hidden = false;
      // SVG prints sharply and scales with the page.
      const chart = window.echarts.init(element, null, { renderer: "svg" });
      chart.setOption(option(data));
      window.addEventListener("resize", () => chart.resize());
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
