// Draws the response metrics charts of /console/metrics with uPlot (served by Warden from its
// package). Loaded as a file with `defer`: the console's Content-Security-Policy allows no inline
// script. Without JavaScript the page's table shows the same figures.
'use strict';

(function () {
  var COLOURS = { critical: '#b3261e', high: '#d9480f', major: '#d9480f', error: '#c2255c', page: '#b3261e', warning: '#b7791f', medium: '#b7791f', minor: '#2f6f9f', low: '#2f6f9f', info: '#5f6b7a' };
  var FALLBACK = ['#6741d9', '#087f5b', '#364fc7', '#862e9c', '#495057'];

  function colour(severity, index) {
    return COLOURS[severity] || FALLBACK[index % FALLBACK.length];
  }

  function minutes(value) {
    if (value == null) return '—';
    if (value < 60) return value.toFixed(value < 10 ? 1 : 0) + ' min';
    return (value / 60).toFixed(1) + ' h';
  }

  function draw(figure, metrics) {
    var target = figure.querySelector('.chart-canvas');
    var metric = figure.getAttribute('data-metric');
    var bySeverity = metrics.series[metric] || {};
    var severities = metrics.severities.filter(function (severity) { return bySeverity[severity]; });
    if (severities.length === 0) {
      target.textContent = 'No incident opened in these weeks.';
      figure.setAttribute('data-drawn', 'empty');
      return;
    }
    var data = [metrics.weeks.map(function (week) { return week / 1000; })];
    var series = [{ label: 'Week' }];
    severities.forEach(function (severity, index) {
      data.push(bySeverity[severity]);
      series.push({ label: severity, stroke: colour(severity, index), width: 2, points: { show: true, size: 7 }, spanGaps: true, value: function (_u, v) { return minutes(v); } });
    });
    var width = Math.max(280, Math.min(target.clientWidth || 640, 960));
    var plot = new uPlot({
      width: width,
      height: 260,
      series: series,
      scales: { x: { time: true }, y: { range: function (_u, _min, max) { return [0, Math.max(1, max * 1.1)]; } } },
      axes: [{}, { label: 'minutes', values: function (_u, ticks) { return ticks.map(function (t) { return t < 10 ? String(Math.round(t * 10) / 10) : t.toFixed(0); }); } }],
    }, data, target);
    figure.setAttribute('data-drawn', 'yes');
    window.addEventListener('resize', function () {
      plot.setSize({ width: Math.max(280, Math.min(target.clientWidth || 640, 960)), height: 260 });
    });
  }

  var figures = document.querySelectorAll('figure.chart[data-metric]');
  if (figures.length === 0 || typeof uPlot === 'undefined') return;
  var weeks = figures[0].getAttribute('data-weeks') || '12';
  fetch('/console/metrics.json?weeks=' + encodeURIComponent(weeks), { credentials: 'same-origin', headers: { accept: 'application/json' } })
    .then(function (response) {
      if (!response.ok) throw new Error('HTTP ' + response.status);
      return response.json();
    })
    .then(function (metrics) {
      figures.forEach(function (figure) { draw(figure, metrics); });
    })
    .catch(function (error) {
      figures.forEach(function (figure) {
        figure.querySelector('.chart-canvas').textContent = 'The chart could not be drawn (' + error.message + '); the table below has the same figures.';
        figure.setAttribute('data-drawn', 'failed');
      });
    });
})();
