// Distribution admin: the team tree opens one level at a time from the JSON API (progressive
// enhancement: without this script each "team" link opens that member's own page).
(function () {
  'use strict';
  var tree = document.querySelector('[data-team-tree]');
  if (!tree) return;
  var api = tree.getAttribute('data-api');
  var maxDepth = Number(tree.getAttribute('data-depth-max')) || 3;
  var label = function (k) { return tree.getAttribute('data-label-' + k) || k; };
  var statusLabels = {};
  try { statusLabels = JSON.parse(tree.getAttribute('data-status-labels') || '{}'); } catch (e) { /* labels stay empty */ }

  function pad(n) { return String(n).padStart(2, '0'); }
  function cst(iso) {
    var d = new Date(new Date(iso).getTime() + 8 * 3600000);
    return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()) + ' ' + pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes());
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function node(item, depth) {
    var li = el('li', 'dist-node');
    li.setAttribute('data-member', item.memberId);
    li.setAttribute('data-depth', depth);
    var row = el('div', 'dist-node-row');
    row.appendChild(el('span', 'badge dist-level-tag', 'L' + depth));
    // only distributors have a page of their own
    var name = el(item.status ? 'a' : 'span', 'dist-node-name', item.nickname || label('noname'));
    if (item.status) name.href = '/admin/distribution/distributors/' + item.memberId;
    row.appendChild(name);
    row.appendChild(el('span', 'muted small', '#' + item.memberId));
    if (item.status) row.appendChild(el('span', 'badge dist-badge-' + item.status, statusLabels[item.status] || label('distributor')));
    row.appendChild(el('span', 'muted small hide-sm', cst(item.boundAt)));
    if (item.childCount > 0) {
      var b = el('a', 'dist-expand btn btn-sm btn-quiet', label('children') + ' ' + item.childCount);
      b.href = '/admin/distribution/distributors/' + item.memberId + '#team';
      if (depth < maxDepth) { b.setAttribute('data-expand', item.memberId); b.setAttribute('aria-expanded', 'false'); }
      row.appendChild(b);
    } else {
      row.appendChild(el('span', 'muted small dist-nochild', '—'));
    }
    li.appendChild(row);
    return li;
  }
  function load(li, list, page) {
    var id = li.getAttribute('data-member');
    var depth = Number(li.getAttribute('data-depth')) + 1;
    return fetch(api + encodeURIComponent(id) + '/team?page=' + page, { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (res) { if (!res.ok) throw new Error(res.status); return res.json(); })
      .then(function (data) {
        var old = list.querySelector(':scope > .dist-tree-more');
        if (old) old.remove();
        data.items.forEach(function (item) { list.appendChild(node(item, depth)); });
        if (data.page < data.pageCount) {
          var more = el('li', 'dist-tree-more');
          var btn = el('button', 'btn btn-sm', label('more'));
          btn.type = 'button';
          btn.addEventListener('click', function () { btn.disabled = true; load(li, list, data.page + 1).catch(function () { btn.disabled = false; }); });
          more.appendChild(btn);
          list.appendChild(more);
        }
      })
      .catch(function (err) {
        list.appendChild(el('li', 'dist-tree-msg', label('error')));
        throw err;
      });
  }
  tree.addEventListener('click', function (e) {
    var btn = e.target.closest && e.target.closest('[data-expand]');
    if (!btn) return;
    e.preventDefault();
    var li = btn.closest('li');
    var list = li.querySelector(':scope > ul');
    if (list) {
      var open = list.hidden;
      list.hidden = !open;
      btn.setAttribute('aria-expanded', String(open));
      return;
    }
    list = el('ul', 'dist-tree');
    li.appendChild(list);
    btn.setAttribute('aria-expanded', 'true');
    load(li, list, 1).catch(function () { /* message shown */ });
  });
})();
