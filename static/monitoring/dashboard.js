// Draws the dashboard's trend charts with the vendored ECharts from the JSON the page carries.
(function () {
  "use strict";
  function draw() {
    var data = JSON.parse(document.getElementById("dashboard-charts").textContent);
    var palette = ["#1a7f37", "#d4a72c", "#b42318", "#6e7781", "#417893"];
    document.querySelectorAll("[data-chart]").forEach(function (node) {
      var chart = data[node.dataset.chart];
      var kind = node.dataset.kind;
      var instance = echarts.init(node, null, { renderer: "canvas" });
      instance.setOption({
        color: chart.series.length > 2 ? palette : ["#417893", "#b42318"],
        animation: false,
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 40, right: 16, top: 32, bottom: 28 },
        xAxis: { type: "category", data: chart.days },
        yAxis: { type: "value", minInterval: 1, scale: node.dataset.chart === "uptime" },
        series: chart.series.map(function (s) {
          return { name: s.name, type: kind, data: s.data, stack: kind === "bar" && chart.series.length > 1 ? "total" : undefined, showSymbol: false };
        })
      });
      node.dataset.rendered = "1";
      window.addEventListener("resize", function () { instance.resize(); });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
