// The dashboard's charts (ECharts, vendored in static/vendor/echarts). The data come
// from json_script blocks (dashboard/figures.py: short labels for the axes and
// legends, full names for the tooltips, the shares of the tables); the tables next
// to the charts carry the same figures, so the page reads the same without
// JavaScript. Tooltips use ECharts' rich-text mode: no HTML with style attributes is
// built (the Content-Security-Policy forbids them).
(function () {
  "use strict";
  if (typeof window.echarts === "undefined") { return; }

  function readJson(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  // The one palette. Colours that mean something (satisfied green, basically
  // satisfied blue, dissatisfied red; outcome A green … C amber), then the series
  // colours for everything else — no red there, red means bad.
  var MEANING = {
    satisfied: "#198754",
    basically_satisfied: "#0d6efd",
    dissatisfied: "#dc3545",
    resolved: "#198754",
    in_progress: "#0d6efd",
    explained: "#fd7e14",
    reference: "#6c757d"
  };
  var SERIES = ["#1f5fa8", "#2a9d8f", "#e9a23b", "#6f42c1", "#8c564b", "#20c997",
    "#5b6b7b", "#d17a22"];
  var NARROW = 520; // px of chart width below which legends and labels go compact

  function shareText(share) {
    return share === null || share === undefined ? "—" : share.toFixed(1) + "%";
  }

  // Chart items carry the list URL of what they count: a click opens it.
  function items(data) {
    return data.labels.map(function (label, i) {
      var colour = data.colours && MEANING[data.colours[i]];
      return {
        name: label,
        fullName: data.names ? data.names[i] : label,
        value: data.values[i],
        share: data.shares ? data.shares[i] : null,
        url: data.urls ? data.urls[i] : null,
        itemStyle: colour ? { color: colour } : undefined
      };
    });
  }

  function itemTooltip(params) {
    var d = params.data || {};
    return (d.fullName || params.name) + "\n" + params.value +
      (d.share !== null && d.share !== undefined ? " (" + shareText(d.share) + ")" : "");
  }

  // Bars lie down: the labels (categories, units, delegations) read along the
  // axis at any width, never into each other. Long breakdowns chart their largest
  // 15; the table has all.
  var BAR_LIMIT = 15;

  function barHeight(data) {
    return Math.max(160, Math.min(data.labels.length, BAR_LIMIT) * 26 + 40);
  }

  function barOption(data, narrow) {
    var shown = items(data).slice(0, BAR_LIMIT).reverse();
    return {
      color: SERIES,
      tooltip: { trigger: "item", renderMode: "richText", formatter: itemTooltip },
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1, splitNumber: narrow ? 3 : 5 },
      yAxis: {
        type: "category",
        data: shown.map(function (d) { return d.name; }),
        axisTick: { show: false },
        axisLabel: { width: narrow ? 112 : 180, overflow: "truncate", interval: 0 }
      },
      series: [{
        type: "bar",
        name: data.title,
        data: shown,
        barMaxWidth: 22,
        label: { show: true, position: "right" },
        cursor: "pointer"
      }]
    };
  }

  function pieOption(data, narrow) {
    // Empty slices only clutter the chart; the table lists them.
    var shown = items(data).filter(function (d) { return d.value > 0; });
    return {
      color: SERIES,
      tooltip: { trigger: "item", renderMode: "richText", formatter: itemTooltip },
      // Short names (A类 已解决): one legend, never paged; it wraps on a phone.
      legend: narrow
        ? { type: "plain", bottom: 0, left: "center", itemGap: 12 }
        : { type: "plain", orient: "vertical", right: 8, top: "middle", itemGap: 12 },
      series: [{
        type: "pie",
        name: data.title,
        radius: narrow ? ["30%", "55%"] : ["38%", "68%"],
        center: narrow ? ["50%", "42%"] : ["38%", "50%"],
        avoidLabelOverlap: true,
        label: {
          formatter: function (params) { return params.value + "\n" + shareText(params.data.share); }
        },
        cursor: "pointer",
        data: shown
      }]
    };
  }

  function trendOption(data, narrow) {
    var counts = data.series.filter(function (s) { return !s.rate; });
    var rates = data.series.filter(function (s) { return s.rate; });
    var names = data.names || data.labels;
    return {
      color: SERIES,
      tooltip: {
        trigger: "axis",
        renderMode: "richText",
        // The session's full name, then each figure.
        formatter: function (params) {
          if (!params.length) { return ""; }
          var lines = [names[params[0].dataIndex]];
          params.forEach(function (p) {
            var rate = rates.some(function (s) { return s.name === p.seriesName; });
            var value = typeof p.value !== "number" ? "—" : (rate ? p.value.toFixed(1) + "%" : p.value);
            lines.push(p.seriesName + ": " + value);
          });
          return lines.join("\n");
        }
      },
      legend: { type: "plain", bottom: 0, left: "center", itemGap: narrow ? 8 : 16 },
      grid: { left: 8, right: 8, top: 24, bottom: narrow ? 64 : 40, containLabel: true },
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, hideOverlap: true } },
      yAxis: [
        { type: "value", minInterval: 1 },
        { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } }
      ],
      series: counts.map(function (s) {
        return { type: "bar", name: s.name, data: s.values, barMaxWidth: 36 };
      }).concat(rates.map(function (s) {
        return { type: "line", name: s.name, yAxisIndex: 1, data: s.values, connectNulls: true };
      }))
    };
  }

  function trendDescription(data) {
    return data.series.map(function (s) {
      return s.name + ": " + data.labels.map(function (label, i) {
        var v = s.values[i];
        return label + " " + (v === null || v === undefined ? "—" : (s.rate ? v.toFixed(1) + "%" : v));
      }).join(", ");
    }).join("; ");
  }

  var charts = readJson("chart-data") || {};
  var trend = readJson("trend-data");
  var made = [];

  function optionFor(entry) {
    var narrow = entry.el.clientWidth < NARROW;
    var build = entry.kind === "trend" ? trendOption : entry.kind === "pie" ? pieOption : barOption;
    var option = build(entry.data, narrow);
    option.aria = { enabled: true };
    if (entry.kind === "trend") {
      // ECharts reads a missing rate as "NaN": say each figure, "—" where none.
      option.aria.label = { description: trendDescription(entry.data) };
    }
    return { narrow: narrow, option: option };
  }

  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var kind = el.getAttribute("data-chart");
    var source = el.getAttribute("data-source");
    var data = kind === "trend" ? trend : charts[source.replace(/^chart-/, "")];
    if (!data) { return; }
    if (kind === "bar") { el.style.height = barHeight(data) + "px"; }
    var entry = { el: el, kind: kind, data: data };
    entry.chart = window.echarts.init(el, null, { renderer: "canvas" });
    var built = optionFor(entry);
    entry.narrow = built.narrow;
    entry.chart.setOption(built.option);
    // A click on a bar or slice opens the suggestions it counts.
    entry.chart.on("click", function (params) {
      if (params.data && params.data.url) { window.location.assign(params.data.url); }
    });
    made.push(entry);
  });
  window.addEventListener("resize", function () {
    made.forEach(function (entry) {
      entry.chart.resize();
      if ((entry.el.clientWidth < NARROW) !== entry.narrow) {
        var built = optionFor(entry);
        entry.narrow = built.narrow;
        entry.chart.setOption(built.option, true);
      }
    });
  });
})();
