// Survey results as ECharts bar charts, one per choice question; the tables beside them carry
// the same counts for readers who cannot see the charts.
var surveyCharts = JSON.parse(document.getElementById("survey-charts").textContent);
document.querySelectorAll("[data-question]").forEach(function (box) {
  var options = surveyCharts[box.dataset.question];
  var chart = echarts.init(box);
  chart.setOption({
    grid: {left: 8, right: 40, top: 8, bottom: 8, containLabel: true},
    xAxis: {type: "value", minInterval: 1},
    yAxis: {type: "category", inverse: true, data: options.map(function (o) { return o.text; }),
            axisLabel: {width: 140, overflow: "break"}},
    series: [{type: "bar", data: options.map(function (o) { return o.votes; }),
              itemStyle: {color: "#154a8a"}, label: {show: true, position: "right"}}],
    animation: false
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
