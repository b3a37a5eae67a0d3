// The dashboard's charts (ECharts, vendored in static/vendor/echarts). The data come
// from json_script blocks; the tables next to the charts carry the same figures, so
// the page reads the same without JavaScript. Tooltips use ECharts' rich-text mode:
// no HTML with style attributes is built (the Content-Security-Policy forbids them).
(function () {
  "use strict";
  if (typeof window.echarts === "undefined") { return; }

  function readJson(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  var PALETTE = ["#b5121b", "#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#20c997",
    "#6c757d", "#d63384", "#0dcaf0", "#ffc107"];

  // Chart items carry the list URL of what they count: a click opens it.
  function items(data) {
    return data.labels.map(function (label, i) {
      return { name: label, value: data.values[i], url: data.urls ? data.urls[i] : null };
    });
  }

  function barOption(data) {
    // Long breakdowns (units, delegations) chart their largest 15; the table has all.
    var shown = items(data).slice(0, 15);
    var many = shown.length > 8;
    return {
      color: PALETTE,
      tooltip: { trigger: "axis", renderMode: "richText", axisPointer: { type: "shadow" } },
      grid: { left: many ? 160 : 60, right: 24, top: 16, bottom: 32 },
      xAxis: many ? { type: "value", minInterval: 1 } : { type: "category", data: shown.map(function (d) { return d.name; }), axisLabel: { interval: 0 } },
      yAxis: many ? { type: "category", data: shown.map(function (d) { return d.name; }).reverse(), axisLabel: { width: 150, overflow: "truncate" } } : { type: "value", minInterval: 1 },
      series: [{
        type: "bar",
        name: data.title,
        data: many ? shown.slice().reverse() : shown,
        label: { show: true, position: many ? "right" : "top" },
        cursor: "pointer"
      }]
    };
  }

  function pieOption(data) {
    return {
      color: PALETTE,
      tooltip: { trigger: "item", renderMode: "richText", formatter: "{b}: {c} ({d}%)" },
      legend: { bottom: 0, type: "scroll" },
      series: [{
        type: "pie",
        name: data.title,
        radius: ["35%", "65%"],
        center: ["50%", "45%"],
        label: { formatter: "{b}\n{c}" },
        // Empty slices only clutter the labels; the table lists them.
        data: items(data).filter(function (d) { return d.value > 0; })
      }]
    };
  }

  function trendOption(data) {
    var counts = data.series.filter(function (s) { return !s.rate; });
    var rates = data.series.filter(function (s) { return s.rate; });
    return {
      color: PALETTE,
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { bottom: 0 },
      grid: { left: 56, right: 56, top: 24, bottom: 56 },
      xAxis: { type: "category", data: data.labels, axisLabel: { width: 160, overflow: "truncate" } },
      yAxis: [
        { type: "value", minInterval: 1 },
        { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } }
      ],
      series: counts.map(function (s) {
        return { type: "bar", name: s.name, data: s.values };
      }).concat(rates.map(function (s) {
        return { type: "line", name: s.name, yAxisIndex: 1, data: s.values, connectNulls: true };
      }))
    };
  }

  var charts = readJson("chart-data") || {};
  var trend = readJson("trend-data");
  var made = [];
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var kind = el.getAttribute("data-chart");
    var source = el.getAttribute("data-source");
    var data = kind === "trend" ? trend : charts[source.replace(/^chart-/, "")];
    if (!data) { return; }
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    var option = kind === "trend" ? trendOption(data) : kind === "pie" ? pieOption(data) : barOption(data);
    option.aria = { enabled: true };
    chart.setOption(option);
    // A click on a bar or slice opens the suggestions it counts.
    chart.on("click", function (params) {
      if (params.data && params.data.url) { window.location.assign(params.data.url); }
    });
    made.push(chart);
  });
  window.addEventListener("resize", function () {
    made.forEach(function (chart) { chart.resize(); });
  });
})();
