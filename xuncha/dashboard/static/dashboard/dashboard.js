/* 指挥舱 charts: Apache ECharts (vendored, served by the application), drawn from the page's JSON
   (#dash-data). A click on a bar or slice opens the ledger rows behind it, or a county's dashboard. */
(function () {
  "use strict";
  var COLORS = ["#b71c1c", "#e65100", "#f9a825", "#2e7d32", "#1565c0", "#6a1b9a", "#546e7a"];

  function option(spec) {
    var base = { color: COLORS, animation: false, tooltip: { trigger: spec.type === "pie" ? "item" : "axis" } };
    if (spec.type === "pie") {
      base.legend = { type: "scroll", bottom: 0 };
      var slices = [];
      spec.labels.forEach(function (label, i) {   /* zero slices would be drawn as equal parts */
        if (spec.values[i] > 0) { slices.push({ name: label, value: spec.values[i], link: spec.links[i] }); }
      });
      if (!slices.length) {
        base.title = { text: "暂无数据", left: "center", top: "middle", textStyle: { color: "#999", fontSize: 14 } };
      }
      base.series = [{ type: "pie", radius: ["35%", "65%"], top: 0, bottom: 30, data: slices,
        label: { formatter: "{b}：{c}" } }];
      return base;
    }
    var horizontal = spec.type === "progress" || spec.labels.length > 6;
    var cat = { type: "category", data: spec.labels, axisLabel: { interval: 0 } };
    var val = { type: "value", minInterval: 1 };
    if (spec.type === "progress") { val.max = 100; }
    base.grid = { left: 8, right: 24, top: 16, bottom: 8, containLabel: true };
    base.xAxis = horizontal ? val : cat;
    base.yAxis = horizontal ? Object.assign(cat, { inverse: true }) : val;
    base.series = [{ type: "bar", data: spec.values, barMaxWidth: 28, label: { show: true, position: horizontal ? "right" : "top" } }];
    return base;
  }

  function draw() {
    var source = document.getElementById("dash-data");
    if (!source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var spec = data[el.getAttribute("data-chart")];
      if (!spec) { return; }
      var rows = spec.labels.length;
      el.style.height = (spec.type === "pie" ? 280 : Math.max(220, (spec.type === "progress" || rows > 6) ? rows * 30 + 40 : 220)) + "px";
      var chart = echarts.init(el, null, { renderer: "canvas", locale: "ZH" });
      chart.setOption(option(spec));
      chart.on("click", function (params) {
        var url = params.data && params.data.link !== undefined ? params.data.link
          : spec.links && spec.links[params.dataIndex];
        if (url) { window.location.href = url; }
      });
      window.addEventListener("resize", function () { chart.resize(); });
      el.setAttribute("data-rendered", "1");
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
}());
