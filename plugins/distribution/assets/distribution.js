/* Distribution pages: apply, withdraw (yuan → fen, live fee preview), sub-shop settings and picks.
 * Plain JavaScript on top of the theme's page script (window.mallTheme: api, toast); every change goes
 * through /api/v1/distribution/*, amounts in integer fen. Texts come from <script id="dist-i18n">. */
(function () {
  'use strict';

  var doc = document;
  var $ = function (sel, root) { return (root || doc).querySelector(sel); };
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || doc).querySelectorAll(sel)); };

  function readJson(id) {
    var el = doc.getElementById(id);
    if (!el) return null;
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }
  var TEXT = readJson('dist-i18n') || {};
  function t(key, vars) {
    var s = TEXT[key];
    if (s == null) return key;
    return String(s).replace(/\{(\w+)\}/g, function (m, k) { return vars && vars[k] != null ? String(vars[k]) : m; });
  }

  // ---------- money: integer fen, the same rules as the server (core/common/money.ts) ----------
  /** "12.5" → 1250; null when it is not a yuan amount with at most two decimals. */
  function parseYuan(input) {
    var m = /^\s*(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(String(input));
    if (!m) return null;
    return Number(m[1]) * 100 + Number(((m[2] || '') + '00').slice(0, 2));
  }
  function yuan(fen) {
    var n = Math.abs(Math.round(fen));
    return (fen < 0 ? '-' : '') + Math.floor(n / 100) + '.' + String(n % 100).padStart(2, '0');
  }
  function money(fen) { return (fen < 0 ? '-¥' : '¥') + yuan(Math.abs(fen)); }
  function percentOf(amount, bp) { return Math.floor((amount * bp + 5000) / 10000); }

  function theme() { return window.mallTheme; }
  function toast(message) { if (theme()) theme().toast(message); }
  function api(method, url, body) { return theme().api(method, url, body); }
  function errorText(err) {
    if (!err) return t('errors.generic');
    if (err.code && TEXT['errors.' + err.code]) return t('errors.' + err.code);
    if (theme() && err.code) {
      var core = theme().t('errors.' + err.code);
      if (core && core !== 'errors.' + err.code) return core;
    }
    return t('errors.generic');
  }
  function fail(err) {
    if (err && err.handled) return;
    toast(errorText(err));
  }
  function busy(btn, on) {
    if (!btn) return;
    btn.classList.toggle('is-loading', !!on);
    btn.disabled = !!on;
  }

  var pages = {};

  // ---------- 推广中心: apply ----------
  pages['dist-centre'] = function (root) {
    function apply(btn, shopName) {
      if (btn && btn.disabled) return;
      busy(btn, true);
      api('POST', '/api/v1/distribution/apply', shopName ? { shopName: shopName } : {}).then(function (res) {
        toast(res && res.status === 'active' ? t('apply.success') : t('apply.submitted'));
        setTimeout(function () { location.reload(); }, 700);
      }, function (err) {
        busy(btn, false);
        fail(err);
      });
    }
    var form = $('[data-apply-form]', root);
    if (form) {
      form.addEventListener('submit', function (e) {
        e.preventDefault();
        var name = String(form.elements.shopName.value || '').trim();
        apply($('[data-apply]', form), name);
      });
    }
    $$('button[data-apply]', root).forEach(function (btn) {
      if (btn.closest('form')) return;
      btn.addEventListener('click', function () { apply(btn, ''); });
    });
  };

  // ---------- 提现 ----------
  pages['dist-withdraw'] = function (root) {
    var form = $('[data-withdraw-form]', root);
    var rules = readJson('dist-withdraw-rules');
    if (!form || !rules) return;
    var input = $('[data-withdraw-amount]', form);
    var feeEl = $('[data-withdraw-fee]', form);
    var netEl = $('[data-withdraw-net]', form);
    var errEl = $('[data-error-for="amount"]', form);
    var submit = $('[data-withdraw-submit]', form);

    function fee(amount) { return Math.min(amount, percentOf(amount, rules.feeBp) + rules.feeFixed); }
    /** { amount, problem } for what is typed; problem is a message or ''. */
    function check() {
      var raw = String(input.value || '').trim();
      if (!raw) return { amount: 0, problem: '', empty: true };
      var amount = parseYuan(raw);
      if (amount === null) return { amount: 0, problem: t('withdraw.invalid') };
      if (amount < rules.min) return { amount: amount, problem: t('withdraw.tooSmall', { amount: money(rules.min) }) };
      if (amount > rules.available) return { amount: amount, problem: t('withdraw.tooMuch') };
      if (amount - fee(amount) <= 0) return { amount: amount, problem: t('errors.below_fee') };
      return { amount: amount, problem: '' };
    }
    function render(showProblem) {
      var c = check();
      var f = c.amount > 0 ? fee(c.amount) : 0;
      feeEl.textContent = money(f);
      netEl.textContent = money(Math.max(0, c.amount - f));
      errEl.textContent = showProblem || (c.problem && c.amount > 0) || c.problem === t('withdraw.invalid') ? c.problem : '';
      form.classList.toggle('has-error', !!errEl.textContent);
      return c;
    }
    input.addEventListener('input', function () {
      // keep it a yuan amount as it is typed: digits and one point
      var cleaned = input.value.replace(/[^\d.]/g, '').replace(/(\..*)\./g, '$1');
      if (cleaned !== input.value) input.value = cleaned;
      render(false);
    });
    $('[data-withdraw-all]', form).addEventListener('click', function () {
      input.value = yuan(rules.available);
      render(true);
    });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      if (submit.disabled) return;
      var c = render(true);
      if (c.empty) { errEl.textContent = t('withdraw.tooSmall', { amount: money(rules.min) }); input.focus(); return; }
      if (c.problem) { input.focus(); return; }
      busy(submit, true);
      api('POST', '/api/v1/distribution/withdrawals', { amount: c.amount }).then(function () {
        toast(t('withdraw.submitted'));
        setTimeout(function () { location.reload(); }, 700);
      }, function (err) {
        busy(submit, false);
        if (err && err.handled) return;
        errEl.textContent = errorText(err);
      });
    });
    render(false);
  };

  // ---------- 小店设置 ----------
  pages['dist-shop-edit'] = function (root) {
    var state = readJson('dist-shop-state') || { picked: [], required: [] };
    var picked = {};
    state.picked.forEach(function (id) { picked[id] = true; });
    var required = {};
    state.required.forEach(function (id) { required[id] = true; });
    var LOCK = '<svg class="icon icon-lock" viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><rect x="5" y="11" width="14" height="9" rx="2"/><path d="M8 11V8a4 4 0 0 1 8 0v3"/></svg>';

    // shop details
    var form = $('[data-shop-form]', root);
    if (form) {
      form.addEventListener('submit', function (e) {
        e.preventDefault();
        var btn = $('[data-shop-save]', form);
        if (btn.disabled) return;
        $$('[data-error-for]', form).forEach(function (el) { el.textContent = ''; });
        var body = {
          shopName: String(form.elements.shopName.value || '').trim(),
          shopAvatarUrl: String(form.elements.shopAvatarUrl.value || '').trim() || null,
          shopBannerUrl: String(form.elements.shopBannerUrl.value || '').trim() || null,
        };
        var bad = false;
        if (!body.shopName) { $('[data-error-for="shopName"]', form).textContent = t('errors.invalid_input'); bad = true; }
        ['shopAvatarUrl', 'shopBannerUrl'].forEach(function (f) {
          if (body[f] && !/^(\/(?!\/)|https:\/\/)\S+$/.test(body[f])) { $('[data-error-for="' + f + '"]', form).textContent = t('errors.invalid_input'); bad = true; }
        });
        if (bad) return;
        busy(btn, true);
        api('PUT', '/api/v1/distribution/shop', body).then(function (saved) {
          busy(btn, false);
          toast(t('shopEdit.saved'));
          var name = $('[data-preview-name]', root);
          if (name) name.textContent = saved.shopName;
          var avatar = $('[data-preview-avatar]', root);
          if (avatar && saved.shopAvatarUrl) avatar.src = saved.shopAvatarUrl;
        }, function (err) {
          busy(btn, false);
          if (err && err.handled) return;
          var field = err && (err.field || (err.errors && err.errors[0] && err.errors[0].field));
          var slot = field && $('[data-error-for="' + field + '"]', form);
          if (slot) slot.textContent = errorText(err);
          else fail(err);
        });
      });
    }

    // tabs
    $$('[data-pick-tab]', root).forEach(function (tab) {
      tab.addEventListener('click', function () {
        var name = tab.getAttribute('data-pick-tab');
        $$('[data-pick-tab]', root).forEach(function (x) { x.classList.toggle('is-active', x === tab); });
        $$('[data-pick-panel]', root).forEach(function (p) { p.hidden = p.getAttribute('data-pick-panel') !== name; });
      });
    });

    var pickedList = $('[data-pick-list="picked"]', root);
    var allList = $('[data-pick-list="all"]', root);

    function setButton(btn, isPicked, inPickedPanel) {
      btn.setAttribute('data-picked', isPicked ? '1' : '0');
      btn.className = 'btn btn-small btn-round ' + (isPicked ? 'btn-plain' : 'btn-primary');
      btn.textContent = isPicked ? (inPickedPanel ? t('shopEdit.unpick') : t('shopEdit.inShop')) : t('shopEdit.pick');
    }
    function refreshCount() {
      var n = $$('.dist-pick', pickedList).length;
      var count = $('[data-pick-count]', root);
      if (count) count.textContent = count.textContent.replace(/\d+/, String(n));
      var empty = $('[data-pick-empty]', root);
      if (empty) empty.hidden = n > 0;
    }
    function syncRows(id) {
      $$('[data-toggle-pick="' + id + '"]', allList).forEach(function (b) { setButton(b, !!picked[id], false); });
      var row = $('.dist-pick[data-product-id="' + id + '"]', pickedList);
      if (picked[id] && !row) {
        var source = $('.dist-pick[data-product-id="' + id + '"]', allList);
        if (source) {
          var copy = source.cloneNode(true);
          var b = $('[data-toggle-pick]', copy);
          if (b) setButton(b, true, true);
          var firstFree = $$('.dist-pick', pickedList).filter(function (r) { return !required[Number(r.getAttribute('data-product-id'))]; })[0];
          pickedList.insertBefore(copy, firstFree || null);
        }
      } else if (!picked[id] && row) {
        row.parentNode.removeChild(row);
      }
      refreshCount();
    }
    root.addEventListener('click', function (e) {
      var btn = e.target.closest && e.target.closest('[data-toggle-pick]');
      if (!btn || btn.disabled) return;
      var id = Number(btn.getAttribute('data-toggle-pick'));
      var on = btn.getAttribute('data-picked') === '1';
      busy(btn, true);
      var call = on ? api('DELETE', '/api/v1/distribution/shop/picks/' + id) : api('POST', '/api/v1/distribution/shop/picks', { productId: id });
      call.then(function () {
        busy(btn, false);
        if (on) delete picked[id]; else picked[id] = true;
        syncRows(id);
        toast(on ? t('shopEdit.unpicked_toast') : t('shopEdit.picked_toast'));
      }, function (err) {
        busy(btn, false);
        fail(err);
      });
    });

    // catalog search
    function row(p) {
      var el = doc.createElement('div');
      el.className = 'dist-pick';
      el.setAttribute('data-product-id', String(p.id));
      var link = doc.createElement('a');
      link.className = 'line-image';
      link.href = '/products/' + encodeURIComponent(p.slug);
      if (p.image) {
        var img = doc.createElement('img');
        img.src = p.image; img.alt = ''; img.loading = 'lazy'; img.setAttribute('data-fallback', '');
        link.appendChild(img);
      } else {
        var ph = doc.createElement('span'); ph.className = 'img-placeholder'; link.appendChild(ph);
      }
      var body = doc.createElement('div');
      body.className = 'line-body';
      var title = doc.createElement('p'); title.className = 'line-title'; title.textContent = p.title;
      var foot = doc.createElement('div'); foot.className = 'line-foot';
      var price = doc.createElement('span'); price.className = 'price';
      var sign = doc.createElement('span'); sign.className = 'price-sign'; sign.textContent = '¥';
      var num = doc.createElement('span'); num.className = 'price-num'; num.textContent = yuan(p.minPrice);
      price.appendChild(sign); price.appendChild(num); foot.appendChild(price);
      body.appendChild(title); body.appendChild(foot);
      el.appendChild(link); el.appendChild(body);
      if (required[p.id]) {
        var lock = doc.createElement('span');
        lock.className = 'dist-pick-lock';
        lock.innerHTML = LOCK;
        lock.appendChild(doc.createTextNode(t('shopEdit.required')));
        el.appendChild(lock);
      } else {
        var b = doc.createElement('button');
        b.type = 'button';
        b.setAttribute('data-toggle-pick', String(p.id));
        setButton(b, !!picked[p.id], false);
        el.appendChild(b);
      }
      return el;
    }
    var search = $('[data-pick-search]', root);
    if (search) {
      search.addEventListener('submit', function (e) {
        e.preventDefault();
        var q = String(search.elements.q.value || '').trim();
        api('GET', '/api/v1/products?pageSize=40' + (q ? '&q=' + encodeURIComponent(q) : '')).then(function (page) {
          allList.textContent = '';
          (page.items || []).forEach(function (p) { allList.appendChild(row(p)); });
          var empty = $('[data-search-empty]', root);
          if (empty) empty.hidden = (page.items || []).length > 0;
        }, fail);
      });
    }
  };

  // ---------- 推广海报: keep the chosen product in view in the chooser ----------
  pages['dist-poster'] = function (root) {
    var list = $('[data-poster-choices]', root);
    var active = list && $('.dist-choice.is-active', list);
    if (!active) return;
    var left = active.offsetLeft - (list.clientWidth - active.offsetWidth) / 2;
    list.scrollLeft = Math.max(0, left);
  };

  function start() {
    var root = $('[data-page]');
    var name = root && root.getAttribute('data-page');
    if (name && pages[name]) pages[name](root);
    doc.documentElement.setAttribute('data-dist-ready', '1');
  }
  // runs after the theme's script (both are deferred; DOMContentLoaded fires when both have run)
  if (doc.readyState === 'complete') start();
  else doc.addEventListener('DOMContentLoaded', start);
})();
