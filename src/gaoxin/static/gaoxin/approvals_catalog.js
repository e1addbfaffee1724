// 审批事项目录: the prerequisite DAG as a graph, read left to right: an item's column is the length of its
// longest chain of prerequisites, its colour its stage; arrows go from a prerequisite to the item that
// needs its result. Data via json_script (CSP forbids inline scripts); the same relations are
// in the items tables above the chart.
(function () {
  "use strict";

  const dataElement = document.getElementById("catalog-graph");
  const element = document.querySelector("[data-chart='catalog-dag']");
  if (!dataElement || !element || typeof window.echarts === "undefined") return;
  const data = JSON.parse(dataElement.textContent);
  if (!data.nodes || data.nodes.length === 0) return;
  const colors = ["#1d4ed8", "#2f855a", "#b7791f", "#c81e1e", "#6b46c1", "#718096", "#0e7490"];
  const stages = [...new Set(data.nodes.map((n) => n.stage))].sort((a, b) => a - b);
  const needs = {};
  data.edges.forEach(([source, target]) => { (needs[target] = needs[target] || []).push(source); });
  const depth = {};
  const depthOf = (code) => {
    if (depth[code] === undefined) {
      depth[code] = 0; // the catalog is acyclic (every edit refuses a cycle); this only guards the recursion
      depth[code] = (needs[code] || []).reduce((d, need) => Math.max(d, depthOf(need) + 1), 0);
    }
    return depth[code];
  };
  const rowInColumn = {};
  const nodes = data.nodes.map((n) => {
    const column = depthOf(n.code);
    const row = (rowInColumn[column] = (rowInColumn[column] || 0) + 1) - 1;
    return {
      id: n.code, name: n.name, x: column * 200, y: row * 80,
      category: stages.indexOf(n.stage), value: n.promised,
      label: { show: true, position: "bottom", width: 140, overflow: "break" },
    };
  });
  element.hidden = false;
  const chart = window.echarts.init(element, null, { renderer: "canvas" });
  chart.setOption({
    color: colors,
    aria: { enabled: true },
    tooltip: {
      formatter: (p) => (p.dataType === "edge"
        ? `${p.data.sourceName} → ${p.data.targetName}`
        : `${p.data.name}：承诺 ${p.data.value} 个工作日`),
    },
    legend: { top: 0, data: stages.map((s) => data.nodes.find((n) => n.stage === s).stage_name) },
    series: [{
      type: "graph", layout: "none", roam: true, symbolSize: 16, edgeSymbol: ["none", "arrow"], edgeSymbolSize: 8,
      top: 50, bottom: 50, left: 90, right: 90,
      categories: stages.map((s) => ({ name: data.nodes.find((n) => n.stage === s).stage_name })),
      data: nodes,
      links: data.edges.map(([source, target]) => ({
        source, target,
        sourceName: data.nodes.find((n) => n.code === source).name,
        targetName: data.nodes.find((n) => n.code === target).name,
      })),
      lineStyle: { color: "#718096", curveness: 0.15, opacity: 0.8 },
    }],
  });
  window.addEventListener("resize", () => chart.resize());
})();
