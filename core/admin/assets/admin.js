// Small progressive enhancements; every page works without this file.
(function () {
  'use strict';
  // Confirm destructive actions (cancel, refund).
  document.addEventListener('submit', function (e) {
    var form = e.target;
    var msg = form && form.getAttribute && form.getAttribute('data-confirm');
    if (msg && !window.confirm(msg)) e.preventDefault();
  });
  // "Add a row" in the variants table: clone the last row with empty values and the next index.
  document.addEventListener('click', function (e) {
    var btn = e.target.closest && e.target.closest('[data-add-row]');
    if (!btn) return;
    var table = document.querySelector(btn.getAttribute('data-add-row'));
    if (!table) return;
    var body = table.tBodies[0];
    var rows = body.querySelectorAll('tr');
    var last = rows[rows.length - 1];
    if (!last) return;
    var next = rows.length;
    var row = last.cloneNode(true);
    row.querySelectorAll('small.error').forEach(function (el) { el.remove(); });
    row.querySelectorAll('input').forEach(function (input) {
      var name = input.name.replace(/^variants\.\d+\./, 'variants.' + next + '.');
      input.name = name;
      input.id = name;
      input.value = '';
      input.classList.remove('invalid');
    });
    body.appendChild(row);
    var first = row.querySelector('input');
    if (first) first.focus();
  });
})();
