// 项目统计: contract investment by 招商方式 as a pie; a slice opens the records behind it. Data via json_script
// (CSP forbids inline scripts); the same figures are in the table under the chart.
(function () {
  "use strict";

  const dataElement = document.getElementById("statistics-chart");
  const element = document.querySelector("[data-chart='channels']");
  if (!dataElement || !element || typeof window.echarts === "undefined") return;
  const data = JSON.parse(dataElement.textContent);
  if (!data.channels || data.channels.length === 0) return;
  element.hidden = false;
  const chart = window.echarts.init(element, null, { renderer: "canvas" });
  chart.setOption({
    color: ["#1d4ed8", "#2f855a", "#b7791f", "#c81e1e", "#6b46c1", "#718096"],
    aria: { enabled: true },
    tooltip: { trigger: "item", formatter: (p) => `${p.name}：${p.value} ${data.unit}（${p.data.count} 个，${p.percent}%）` },
    legend: { bottom: 0 },
    series: [{
      name: data.title, type: "pie", radius: ["35%", "65%"], cursor: "pointer",
      label: { formatter: "{b}\n{d}%" },
      data: data.channels.map((c) => ({ name: c.name, value: c.value, count: c.count, url: c.url })),
    }],
  });
  chart.on("click", (params) => {
    if (params.data && params.data.url) window.location.assign(params.data.url);
  });
  window.addEventListener("resize", () => chart.resize());
})();
