/* Default theme scripts: plain JavaScript, no build step, no frameworks.
 * Every state change goes through the JSON API (/api/v1, amounts in fen); errors arrive as
 * { statusCode, code, message, field } and are shown with the locale strings of the page
 * (<script type="application/json" id="i18n">), never with text written here. */
(function () {
  'use strict';

  var doc = document;
  var $ = function (sel, root) { return (root || doc).querySelector(sel); };
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || doc).querySelectorAll(sel)); };

  // ---------- locale strings ----------
  var I18N = readJson('i18n') || {};
  function t(key, vars) {
    var s = I18N[key];
    if (s == null) return key;
    return String(s).replace(/\{(\w+)\}/g, function (m, k) { return vars && vars[k] != null ? String(vars[k]) : m; });
  }
  function readJson(id) {
    var el = doc.getElementById(id);
    if (!el) return null;
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  // ---------- money (integer fen) ----------
  function yuan(fen) {
    var n = Math.abs(Math.round(fen));
    return (fen < 0 ? '-' : '') + Math.floor(n / 100) + '.' + String(n % 100).padStart(2, '0');
  }
  /** Fills a .price element: small ¥ and the number. */
  function setPrice(el, fen, suffix) {
    if (!el) return;
    el.textContent = '';
    var sign = doc.createElement('span'); sign.className = 'price-sign'; sign.textContent = '¥';
    var num = doc.createElement('span'); num.className = 'price-num'; num.textContent = yuan(fen);
    el.appendChild(sign); el.appendChild(num);
    if (suffix) { var s = doc.createElement('span'); s.className = 'price-from'; s.textContent = suffix; el.appendChild(s); }
  }

  // ---------- API ----------
  function signInUrl() {
    return '/sign-in?next=' + encodeURIComponent(location.pathname + location.search);
  }
  function api(method, url, body) {
    var opts = { method: method, credentials: 'same-origin', headers: { accept: 'application/json' } };
    if (body !== undefined) { opts.headers['content-type'] = 'application/json'; opts.body = JSON.stringify(body); }
    return fetch(url, opts).then(function (res) {
      var parse = res.status === 204 ? Promise.resolve(null) : res.json().catch(function () { return null; });
      return parse.then(function (data) {
        if (res.ok) return data;
        var err = Object.assign({ statusCode: res.status, code: 'generic', message: '' }, data || {});
        if (res.status === 401 || err.code === 'sign_in_required') {
          err.handled = true;
          location.href = signInUrl();
        }
        throw err;
      });
    }, function () {
      throw { statusCode: 0, code: 'network', message: '' };
    });
  }
  function errorText(err) {
    if (!err) return t('errors.generic');
    if (err.code && I18N['errors.' + err.code]) return t('errors.' + err.code);
    if (err.statusCode >= 500) return t('errors.internal_error');
    if (doc.body.getAttribute('data-locale') === 'en' && err.message) return err.message;
    return t('errors.generic');
  }
  function fail(err) {
    if (err && err.handled) return;
    toast(errorText(err));
  }
  function samePath(url, fallback) {
    return typeof url === 'string' && /^\/(?!\/)[^\s\\]*$/.test(url) ? url : fallback;
  }

  // ---------- toast, dialog, sheets ----------
  var toastTimer = 0;
  function toast(message, ms) {
    var el = $('#toast');
    if (!el) return;
    el.textContent = message;
    el.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { el.hidden = true; }, ms || 2200);
  }
  function confirmDialog(message) {
    var box = $('#dialog');
    if (!box) return Promise.resolve(window.confirm(message));
    $('[data-dialog-message]', box).textContent = message;
    box.hidden = false;
    return new Promise(function (resolve) {
      function done(value) {
        box.hidden = true;
        ok.removeEventListener('click', yes); cancel.removeEventListener('click', no); mask.removeEventListener('click', no);
        resolve(value);
      }
      function yes() { done(true); }
      function no() { done(false); }
      var ok = $('[data-dialog-ok]', box), cancel = $('[data-dialog-cancel]', box), mask = $('.dialog-mask', box);
      ok.addEventListener('click', yes); cancel.addEventListener('click', no); mask.addEventListener('click', no);
    });
  }
  function openSheet(sheet) {
    if (!sheet) return;
    sheet.hidden = false;
    doc.body.style.overflow = 'hidden';
  }
  function closeSheet(sheet) {
    if (!sheet) return;
    sheet.hidden = true;
    if (!$('.sheet:not([hidden])')) doc.body.style.overflow = '';
  }
  doc.addEventListener('click', function (e) {
    var closer = e.target.closest && e.target.closest('[data-sheet-close]');
    if (closer) closeSheet(closer.closest('.sheet'));
  });
  function busy(btn, on, label) {
    if (!btn) return;
    if (on) {
      btn.setAttribute('data-busy', '1');
      btn.classList.add('is-loading');
      if (label) { btn.setAttribute('data-label-before', btn.textContent); btn.textContent = label; }
    } else {
      btn.removeAttribute('data-busy');
      btn.classList.remove('is-loading');
      var before = btn.getAttribute('data-label-before');
      if (before) { btn.textContent = before; btn.removeAttribute('data-label-before'); }
    }
  }
  function isBusy(btn) { return btn && btn.getAttribute('data-busy') === '1'; }

  // ---------- images that fail to load ----------
  var placeholder = (function () {
    var link = $('link[rel=stylesheet][href*="/css/app.css"]');
    return link ? link.getAttribute('href').replace(/css\/app\.css.*$/, 'img/placeholder.svg') : '';
  })();
  function fixImage(img) {
    if (img.hasAttribute('data-fallback-avatar')) {
      img.src = img.getAttribute('data-fallback-avatar');
      img.removeAttribute('data-fallback-avatar');
    } else if (img.hasAttribute('data-fallback') && placeholder) {
      img.removeAttribute('data-fallback');
      img.src = placeholder;
    }
  }
  doc.addEventListener('error', function (e) {
    if (e.target && e.target.tagName === 'IMG') fixImage(e.target);
  }, true);
  function fixBrokenImages() {
    $$('img[data-fallback], img[data-fallback-avatar]').forEach(function (img) {
      if (img.complete && img.naturalWidth === 0 && img.getAttribute('src')) fixImage(img);
    });
  }

  // ---------- cart badge ----------
  function setBadge(count) {
    $$('[data-cart-badge]').forEach(function (b) {
      b.textContent = count > 99 ? '99+' : String(count);
      b.hidden = !count;
    });
  }
  function loadBadge() {
    if (doc.body.getAttribute('data-signed-in') !== '1' || !$('[data-cart-badge]')) return;
    fetch('/api/v1/cart', { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (cart) { if (cart) setBadge(cart.itemCount); })
      .catch(function () { /* the badge is decoration */ });
  }

  // ---------- quantity stepper ----------
  function stepper(el, opts) {
    var input = $('[data-qty]', el);
    var minus = $('[data-step="-1"]', el), plus = $('[data-step="1"]', el);
    var state = { max: opts.max || 99 };
    function value() { var n = parseInt(input.value, 10); return isNaN(n) ? 1 : n; }
    function sync() {
      var n = value();
      minus.disabled = n <= 1;
      plus.disabled = n >= state.max;
    }
    function set(n, fromUser) {
      var clamped = Math.max(1, Math.min(state.max, n));
      if (fromUser && n > state.max) toast(t('product.limit', { n: state.max }));
      if (fromUser && n < 1) toast(t('product.minQty'));
      var old = value();
      input.value = String(clamped);
      sync();
      if (fromUser && opts.onChange && clamped !== old) opts.onChange(clamped, old);
    }
    el.addEventListener('click', function (e) {
      var b = e.target.closest('[data-step]');
      if (!b || b.disabled) return;
      set(value() + Number(b.getAttribute('data-step')), true);
    });
    input.addEventListener('change', function () { set(value(), true); });
    sync();
    return {
      value: value,
      setMax: function (m) { state.max = Math.max(1, m); if (value() > state.max) input.value = String(state.max); sync(); },
      set: function (n) { input.value = String(n); sync(); },
    };
  }

  // ---------- pages ----------
  var pages = {};

  pages.home = function (root) {
    var banner = $('.banner', root);
    if (!banner) return;
    var track = $('[data-banner-track]', banner);
    var urls = (banner.getAttribute('data-banners') || '').split(',')
      .map(function (s) { return s.trim(); })
      .filter(function (u) { return /^(https?:\/\/|\/)[^\s"'<>]+$/.test(u); });
    if (urls.length) {
      track.textContent = '';
      urls.forEach(function (u) {
        var slide = doc.createElement('div');
        slide.className = 'banner-slide';
        var img = doc.createElement('img');
        img.src = u;
        img.alt = banner.getAttribute('data-banner-alt') || '';
        img.setAttribute('data-fallback', '');
        slide.appendChild(img);
        track.appendChild(slide);
      });
    }
    var count = track.children.length;
    if (count < 2) return;
    var dots = $('[data-banner-dots]', banner);
    for (var i = 0; i < count; i++) dots.appendChild(doc.createElement('i'));
    var index = 0;
    function mark() {
      $$('i', dots).forEach(function (d, n) { d.classList.toggle('on', n === index); });
    }
    mark();
    track.addEventListener('scroll', function () {
      var n = Math.round(track.scrollLeft / Math.max(1, track.clientWidth));
      if (n !== index) { index = n; mark(); }
    }, { passive: true });
    setInterval(function () {
      if (doc.hidden) return;
      track.scrollTo({ left: ((index + 1) % count) * track.clientWidth, behavior: 'smooth' });
    }, 4000);
  };

  pages.categories = function (root) {
    var main = $('.categories-main', root);
    $$('[data-cat-tab]', root).forEach(function (tab) {
      tab.addEventListener('click', function () {
        var n = tab.getAttribute('data-cat-tab');
        $$('[data-cat-tab]', root).forEach(function (x) { x.classList.toggle('is-active', x === tab); });
        $$('[data-cat-panel]', root).forEach(function (p) { p.hidden = p.getAttribute('data-cat-panel') !== n; });
        if (main) main.scrollTop = 0;
      });
    });
  };

  pages.product = function (root) {
    var variants = readJson('product-variants') || [];
    var specNames = readJson('product-spec-names') || [];
    var sheet = $('#sku-sheet');
    if (!sheet) return;
    var groups = $$('[data-spec-index]', sheet);
    var selected = specNames.map(function () { return null; });
    if (variants.length === 1) selected = variants[0].specValues.slice();
    groups.forEach(function (g, i) {
      var values = $$('[data-spec-value]', g);
      if (values.length === 1) selected[i] = values[0].getAttribute('data-spec-value');
    });
    var qty = stepper($('[data-stepper]', sheet), { max: 99 });
    var mode = 'both';

    function compatible(v, skip) {
      return v.specValues.every(function (val, i) { return i === skip || selected[i] == null || selected[i] === val; });
    }
    function current() {
      if (selected.some(function (s) { return s == null; })) return null;
      return variants.find(function (v) { return v.specValues.every(function (val, i) { return val === selected[i]; }); }) || null;
    }
    function missing() {
      return specNames.filter(function (_n, i) { return selected[i] == null; });
    }
    function render() {
      groups.forEach(function (g, i) {
        $$('[data-spec-value]', g).forEach(function (btn) {
          var val = btn.getAttribute('data-spec-value');
          var possible = variants.some(function (v) { return v.specValues[i] === val && compatible(v, i) && v.stock > 0; });
          var on = selected[i] === val;
          btn.classList.toggle('is-selected', on);
          btn.classList.toggle('is-disabled', !possible && !on);
          btn.setAttribute('aria-pressed', on ? 'true' : 'false');
        });
      });
      var v = current();
      var pool = variants.filter(function (x) { return compatible(x, -1); });
      var min = Math.min.apply(null, pool.map(function (x) { return x.price; }));
      var max = Math.max.apply(null, pool.map(function (x) { return x.price; }));
      var stock = v ? v.stock : pool.reduce(function (s, x) { return s + x.stock; }, 0);
      var priceEl = $('[data-sku-price] .price', sheet);
      if (v) setPrice(priceEl, v.price); else if (pool.length) setPrice(priceEl, min, min !== max ? t('product.priceFrom') : '');
      $('[data-sku-stock]', sheet).textContent = stock > 0 ? t('product.stock', { n: stock }) : t('product.soldOut');
      var text = v ? t('product.selected') + '：' + (v.specText || t('product.defaultSpec')) : t('product.chooseSpec', { names: missing().join(' ') });
      $('[data-sku-selected]', sheet).textContent = text;
      var summary = $('[data-sku-summary]', root);
      if (summary && (v || selected.some(function (s) { return s != null; }))) summary.textContent = v ? (v.specText || t('product.defaultSpec')) + '，' + qty.value() + ' ' + t('common.piece') : text;
      var img = $('[data-sku-image]', sheet);
      if (img) {
        var fallback = root.getAttribute('data-product-image');
        var want = (v && v.imageUrl) || fallback;
        if (want && img.getAttribute('src') !== want) img.src = want;
      }
      if (v) {
        qty.setMax(Math.max(1, Math.min(99, v.stock)));
        var pagePrice = $('[data-product-price]', root);
        if (pagePrice) {
          var priceNode = $('.price', pagePrice);
          setPrice(priceNode, v.price);
          var orig = $('.price-original', pagePrice);
          if (v.originalPrice && v.originalPrice > v.price) {
            if (!orig) { orig = doc.createElement('s'); orig.className = 'price-original'; pagePrice.appendChild(doc.createTextNode(' ')); pagePrice.appendChild(orig); }
            orig.textContent = '¥' + yuan(v.originalPrice);
            orig.hidden = false;
          } else if (orig) {
            orig.hidden = true;
          }
        }
      } else {
        qty.setMax(99);
      }
    }

    groups.forEach(function (g, i) {
      g.addEventListener('click', function (e) {
        var btn = e.target.closest('[data-spec-value]');
        if (!btn) return;
        var val = btn.getAttribute('data-spec-value');
        if (selected[i] === val) selected[i] = null;
        else if (btn.classList.contains('is-disabled')) { toast(t('product.unavailable')); return; }
        else selected[i] = val;
        render();
      });
    });

    function open(which) {
      mode = which || 'both';
      $$('[data-sku-confirm]', sheet).forEach(function (b) {
        b.hidden = mode !== 'both' && b.getAttribute('data-sku-confirm') !== mode;
      });
      render();
      openSheet(sheet);
    }
    $$('[data-open-sku]', root).forEach(function (b) {
      b.addEventListener('click', function () { open(b.getAttribute('data-open-sku')); });
    });

    $$('[data-sku-confirm]', sheet).forEach(function (btn) {
      btn.addEventListener('click', function () {
        if (isBusy(btn)) return;
        var v = current();
        if (!v) { toast(t('product.pleaseSelect', { name: missing()[0] || '' })); return; }
        if (v.stock <= 0) { toast(t('product.unavailable')); return; }
        var n = qty.value();
        if (n > v.stock) { toast(t('product.limit', { n: v.stock })); return; }
        if (btn.getAttribute('data-sku-confirm') === 'buy') {
          location.href = '/checkout?variantId=' + encodeURIComponent(v.id) + '&quantity=' + encodeURIComponent(n);
          return;
        }
        busy(btn, true);
        api('POST', '/api/v1/cart/items', { variantId: v.id, quantity: n }).then(function (cart) {
          busy(btn, false);
          closeSheet(sheet);
          setBadge(cart.itemCount);
          toast(t('product.added'));
        }, function (err) {
          busy(btn, false);
          fail(err);
        });
      });
    });

    var track = $('[data-gallery-track]', root);
    var indexEl = $('[data-gallery-index]', root);
    if (track && indexEl) {
      track.addEventListener('scroll', function () {
        indexEl.textContent = String(Math.round(track.scrollLeft / Math.max(1, track.clientWidth)) + 1);
      }, { passive: true });
    }
    render();
  };

  pages.cart = function (root) {
    var busyNow = false;
    var totalEl = $('[data-cart-total]', root);
    var checkoutBtn = $('[data-cart-checkout]', root);
    var allBox = $('[data-check-all-box]', root);
    var view = readJson('cart-data');
    if (!view) return;

    function lineEl(id) { return $('[data-line-id="' + id + '"]', root); }
    function apply(next) {
      view = next;
      if (!next.lines.length) { location.reload(); return; }
      var reload = false;
      $$('[data-line-id]', root).forEach(function (el) {
        var id = Number(el.getAttribute('data-line-id'));
        var line = next.lines.find(function (l) { return l.id === id; });
        if (!line) { el.parentNode.removeChild(el); return; }
        if (line.available === el.classList.contains('is-unavailable')) reload = true;
        var on = line.selected && line.available;
        var check = $('[data-line-check]', el);
        check.classList.toggle('is-checked', on);
        check.setAttribute('aria-checked', on ? 'true' : 'false');
        el.setAttribute('data-selected', line.selected ? '1' : '0');
        el.setAttribute('data-quantity', String(line.quantity));
        el.setAttribute('data-stock', String(line.stock));
        var input = $('[data-qty]', el);
        if (input) {
          input.value = String(line.quantity);
          $('[data-step="-1"]', el).disabled = line.quantity <= 1;
          $('[data-step="1"]', el).disabled = line.quantity >= Math.min(99, line.stock);
        }
      });
      if (reload) { location.reload(); return; }
      setPrice(totalEl, next.selectedTotal);
      checkoutBtn.textContent = t('cart.checkoutCount', { n: next.selectedCount });
      checkoutBtn.classList.toggle('is-disabled', !next.selectedCount);
      var available = next.lines.filter(function (l) { return l.available; });
      var all = available.length > 0 && available.every(function (l) { return l.selected; });
      allBox.classList.toggle('is-checked', all);
      var count = $('.cart-head span', root);
      if (count) count.textContent = t('cart.count', { n: next.itemCount });
      setBadge(next.itemCount);
    }
    function patch(id, body) {
      return api('PATCH', '/api/v1/cart/items/' + id, body);
    }
    function run(task) {
      if (busyNow) return;
      busyNow = true;
      task().then(function (next) { busyNow = false; if (next) apply(next); }, function (err) {
        busyNow = false;
        fail(err);
        api('GET', '/api/v1/cart').then(apply, function () { /* keep the page */ });
      });
    }

    // Lines that cannot be bought must not stay selected, or checkout would refuse the whole cart.
    var stale = view.lines.filter(function (l) { return l.selected && !l.available; });
    if (stale.length) {
      run(function () {
        return stale.reduce(function (p, l) { return p.then(function () { return patch(l.id, { selected: false }); }); }, Promise.resolve(null));
      });
    } else {
      apply(view);
    }

    root.addEventListener('click', function (e) {
      var check = e.target.closest('[data-line-check]');
      if (check && !check.disabled) {
        var el = check.closest('[data-line-id]');
        var id = el.getAttribute('data-line-id');
        var on = el.getAttribute('data-selected') === '1';
        run(function () { return patch(id, { selected: !on }); });
        return;
      }
      var remove = e.target.closest('[data-line-remove]');
      if (remove) {
        var line = remove.closest('[data-line-id]');
        confirmDialog(t('cart.removeConfirm')).then(function (yes) {
          if (yes) run(function () { return api('DELETE', '/api/v1/cart/items/' + line.getAttribute('data-line-id')); });
        });
        return;
      }
      if (e.target.closest('[data-check-all]')) {
        var available = view.lines.filter(function (l) { return l.available; });
        var target = !available.every(function (l) { return l.selected; });
        var todo = available.filter(function (l) { return l.selected !== target; });
        if (!todo.length) return;
        run(function () {
          return todo.reduce(function (p, l) { return p.then(function () { return patch(l.id, { selected: target }); }); }, Promise.resolve(null));
        });
      }
    });

    $$('[data-line-id] [data-stepper]', root).forEach(function (el) {
      var line = el.closest('[data-line-id]');
      var s = stepper(el, {
        max: Math.min(99, Number(line.getAttribute('data-stock')) || 1),
        onChange: function (n, old) {
          if (busyNow) { s.set(old); return; }
          run(function () { return patch(line.getAttribute('data-line-id'), { quantity: n }); });
        },
      });
    });

    checkoutBtn.addEventListener('click', function (e) {
      if (!view.selectedCount) { e.preventDefault(); toast(t('cart.nothingSelected')); }
    });
  };

  // -- addresses (shared by checkout and the address page) --
  var ADDRESS_FIELDS = ['recipientName', 'phone', 'province', 'city', 'district', 'detail'];
  function readAddress(form) {
    var out = {};
    ADDRESS_FIELDS.forEach(function (f) { out[f] = String(form.elements[f].value || '').trim(); });
    // a new address leaves isDefault out unless ticked, so the first one becomes the default
    if (form.elements.isDefault.checked || form.elements.id.value) out.isDefault = !!form.elements.isDefault.checked;
    return out;
  }
  function checkAddress(a) {
    var bad = [];
    if (a.recipientName.length < 1 || a.recipientName.length > 32) bad.push('recipientName');
    if (!/^1[3-9]\d{9}$/.test(a.phone)) bad.push('phone');
    ['province', 'city', 'district'].forEach(function (f) { if (a[f].length < 2 || a[f].length > 32) bad.push(f); });
    if (a.detail.length < 4 || a.detail.length > 200) bad.push('detail');
    return bad;
  }
  function clearErrors(form) {
    $$('[data-error-for]', form).forEach(function (el) { el.textContent = ''; });
    $$('.has-error', form).forEach(function (el) { el.classList.remove('has-error'); });
  }
  function fieldError(form, field, text) {
    var slot = $('[data-error-for="' + field + '"]', form);
    var input = form.elements[field];
    if (input && input.closest) { var row = input.closest('.form-row'); if (row) row.classList.add('has-error'); }
    if (slot) { slot.textContent = text; return true; }
    return false;
  }
  function fieldText(field) {
    if (I18N['address.invalid.' + field]) return t('address.invalid.' + field);
    return t('errors.field', { field: I18N['address.fields.' + field] ? t('address.fields.' + field) : field });
  }
  function serverErrors(form, err, textFor) {
    var shown = false;
    var problems = Array.isArray(err.errors) ? err.errors : err.field ? [{ field: err.field }] : [];
    problems.forEach(function (p) {
      var field = String(p.field || '').split('.')[0];
      if (field && form.elements[field] && fieldError(form, field, textFor(field))) shown = true;
    });
    if (!shown) fieldError(form, '_global', errorText(err));
  }
  function addressForm(form, onSaved) {
    var phone = form.elements.phone;
    phone.addEventListener('blur', function () {
      var slot = $('[data-error-for="phone"]', form);
      if (phone.value && !/^1[3-9]\d{9}$/.test(phone.value.trim())) fieldError(form, 'phone', fieldText('phone'));
      else if (slot) { slot.textContent = ''; phone.closest('.form-row').classList.remove('has-error'); }
    });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var btn = $('button[type=submit]', form);
      if (isBusy(btn)) return;
      clearErrors(form);
      var data = readAddress(form);
      var bad = checkAddress(data);
      if (bad.length) {
        bad.forEach(function (f) { fieldError(form, f, fieldText(f)); });
        var first = form.elements[bad[0]];
        if (first && first.focus) first.focus();
        return;
      }
      var id = form.elements.id.value;
      busy(btn, true);
      api(id ? 'PUT' : 'POST', id ? '/api/v1/addresses/' + encodeURIComponent(id) : '/api/v1/addresses', data).then(function (saved) {
        busy(btn, false);
        onSaved(saved);
      }, function (err) {
        busy(btn, false);
        if (!err.handled) serverErrors(form, err, fieldText);
      });
    });
  }
  function fillAddress(form, a) {
    form.elements.id.value = a ? String(a.id) : '';
    ADDRESS_FIELDS.forEach(function (f) { form.elements[f].value = a ? a[f] : ''; });
    form.elements.isDefault.checked = !!(a && a.isDefault);
    clearErrors(form);
  }
  function renderAddressCard(card, a) {
    var who = $('.address-who', card);
    $('strong', who).textContent = a.recipientName;
    $('span', who).textContent = a.phone;
    var tag = $('.tag', who);
    if (tag) tag.hidden = !a.isDefault;
    $('.address-text', card).textContent = a.province + a.city + a.district + ' ' + a.detail;
  }

  // -- payments --
  function followPayment(action, orderNo) {
    var orderUrl = '/orders/' + encodeURIComponent(orderNo);
    if (!action) { location.href = orderUrl; return; }
    if (action.type === 'redirect') {
      location.href = action.url;
      return;
    }
    if (action.type === 'jsapi') {
      var invoked = false;
      var invoke = function () {
        if (invoked) return;
        invoked = true;
        window.WeixinJSBridge.invoke('getBrandWCPayRequest', action.params, function (res) {
          if (res && res.err_msg === 'get_brand_wcpay_request:ok') { location.href = orderUrl; return; }
          toast(t('checkout.payCancelled'));
          setTimeout(function () { location.href = orderUrl; }, 1500);
        });
      };
      if (window.WeixinJSBridge && window.WeixinJSBridge.invoke) { invoke(); return; }
      doc.addEventListener('WeixinJSBridgeReady', invoke, false);
      setTimeout(function () {
        if (invoked) return;
        toast(t('checkout.payLater'));
        setTimeout(function () { location.href = orderUrl; }, 1500);
      }, 3000);
      return;
    }
    location.href = orderUrl;
  }
  function startPayment(orderNo, btn) {
    busy(btn, true);
    return api('POST', '/api/v1/orders/' + encodeURIComponent(orderNo) + '/payments', {}).then(function (res) {
      followPayment(res && res.action, orderNo);
    }, function (err) {
      busy(btn, false);
      fail(err);
      if (!err.handled && !(location.pathname.indexOf('/orders/') === 0)) {
        setTimeout(function () { location.href = '/orders/' + encodeURIComponent(orderNo); }, 1500);
      }
    });
  }

  pages.checkout = function (root) {
    var items = readJson('checkout-items');
    var addresses = readJson('checkout-addresses') || [];
    var addressId = readJson('checkout-address-id');
    var sheet = $('#address-sheet');
    var submit = $('[data-checkout-submit]', root);

    var inline = $('.address-new [data-address-form]', root);
    if (inline) addressForm(inline, function () { toast(t('address.saved')); location.reload(); });

    if (sheet) {
      var pick = $('[data-open-address-list]', root);
      pick.addEventListener('click', function () { openSheet(sheet); });
      var choose = function (a) {
        addressId = a.id;
        renderAddressCard($('.address-card', pick), a);
        $$('[data-address-option]', sheet).forEach(function (o) {
          var on = Number(o.getAttribute('data-address-option')) === a.id;
          o.classList.toggle('is-active', on);
          $('.check', o).classList.toggle('is-checked', on);
        });
        closeSheet(sheet);
      };
      $$('[data-address-option]', sheet).forEach(function (o) {
        o.addEventListener('click', function () {
          var id = Number(o.getAttribute('data-address-option'));
          var a = addresses.find(function (x) { return x.id === id; });
          if (a) choose(a);
        });
      });
      var formBox = $('[data-address-sheet-form]', sheet);
      var actions = $('[data-address-sheet-actions]', sheet);
      $('[data-show-address-form]', sheet).addEventListener('click', function () {
        formBox.hidden = false;
        actions.hidden = true;
        $('.sheet-scroll', sheet).hidden = true;
      });
      addressForm($('[data-address-form]', formBox), function (saved) {
        addresses.push(saved);
        toast(t('address.saved'));
        formBox.hidden = true;
        actions.hidden = false;
        $('.sheet-scroll', sheet).hidden = false;
        choose(saved);
      });
    }

    // Plugins put checkout choices (e.g. a coupon) into the checkout.summary slot as form fields marked
    // data-checkout-option="<name>" (data-option-type="integer" for numbers); they go to the API as `options`.
    function options() {
      var out = {};
      $$('[data-checkout-option]', root).forEach(function (el) {
        var name = el.getAttribute('data-checkout-option');
        var value = el.type === 'checkbox' ? el.checked : String(el.value || '').trim();
        if (!name || value === '' || value === false || (el.type === 'radio' && !el.checked)) return;
        if (el.getAttribute('data-option-type') === 'integer') value = parseInt(value, 10);
        if (typeof value === 'number' && isNaN(value)) return;
        out[name] = value;
      });
      return out;
    }
    function row(label, value, cls) {
      var div = doc.createElement('div');
      div.className = 'breakdown-row';
      var l = doc.createElement('span'); l.textContent = label;
      var v = doc.createElement('span'); v.textContent = value;
      if (cls) v.className = cls;
      div.appendChild(l); div.appendChild(v);
      return div;
    }
    function showPreview(p) {
      var box = $('[data-breakdown]', root);
      if (!box) return;
      box.textContent = '';
      box.appendChild(row(t('checkout.itemsTotal'), '¥' + yuan(p.itemsTotal)));
      p.adjustments.forEach(function (a) {
        if (a.kind === 'discount') box.appendChild(row(a.label, '-¥' + yuan(a.amount), 'text-primary'));
      });
      box.appendChild(row(t('checkout.shipping'), p.shippingFee ? '+¥' + yuan(p.shippingFee) : t('checkout.freeShipping')));
      var total = row(t('checkout.payable'), '');
      total.className = 'breakdown-row breakdown-total';
      total.removeChild(total.lastChild);
      var price = doc.createElement('span'); price.className = 'price';
      setPrice(price, p.payableTotal);
      total.appendChild(price);
      box.appendChild(total);
      setPrice($('[data-checkout-total] .price', root), p.payableTotal);
    }
    root.addEventListener('change', function (e) {
      if (!e.target.closest || !e.target.closest('[data-checkout-option]')) return;
      var body = {};
      if (items) body.items = items;
      if (addressId) body.addressId = addressId;
      var opts = options();
      if (Object.keys(opts).length) body.options = opts;
      api('POST', '/api/v1/checkout/preview', body).then(showPreview, fail);
    });

    submit.addEventListener('click', function () {
      if (isBusy(submit) || submit.disabled) return;
      if (!addressId) {
        toast(t('errors.address_required'));
        var first = inline && inline.elements.recipientName;
        if (first) first.focus();
        return;
      }
      var body = { addressId: addressId };
      if (items) body.items = items;
      var note = $('[data-checkout-note]', root);
      if (note && note.value.trim()) body.note = note.value.trim();
      var opts = options();
      if (Object.keys(opts).length) body.options = opts;
      busy(submit, true, t('checkout.submitting'));
      api('POST', '/api/v1/orders', body).then(function (order) {
        submit.textContent = t('checkout.paying');
        return startPayment(order.orderNo, null);
      }, function (err) {
        busy(submit, false);
        fail(err);
      });
    });
  };

  pages['sandbox-pay'] = function (root) {
    var btn = $('[data-pay-confirm]', root);
    if (!btn) return;
    var paymentNo = root.getAttribute('data-payment-no');
    var orderNo = root.getAttribute('data-order-no');
    btn.addEventListener('click', function () {
      if (isBusy(btn)) return;
      busy(btn, true, t('common.loading'));
      api('POST', '/payments/sandbox/' + encodeURIComponent(paymentNo) + '/confirm').then(function (res) {
        var done = $('[data-pay-success]', root);
        if (done) done.hidden = false;
        setTimeout(function () { location.href = samePath(res && res.redirect, '/orders/' + encodeURIComponent(orderNo)); }, 900);
      }, function (err) {
        busy(btn, false);
        fail(err);
      });
    });
  };

  function orderActions(root) {
    root.addEventListener('click', function (e) {
      var btn = e.target.closest('[data-order-action]');
      if (!btn || isBusy(btn)) return;
      var no = btn.getAttribute('data-order-no');
      var action = btn.getAttribute('data-order-action');
      if (action === 'pay') { startPayment(no, btn); return; }
      var ask = action === 'cancel' ? t('order.cancelConfirm') : t('order.confirmReceiptConfirm');
      confirmDialog(ask).then(function (yes) {
        if (!yes) return;
        busy(btn, true);
        api('POST', '/api/v1/orders/' + encodeURIComponent(no) + '/' + action).then(function () {
          toast(action === 'cancel' ? t('order.cancelled') : t('order.received'));
          setTimeout(function () { location.reload(); }, 700);
        }, function (err) {
          busy(btn, false);
          fail(err);
        });
      });
    });
  }
  pages.orders = orderActions;

  pages.order = function (root) {
    orderActions(root);
    var el = $('[data-countdown][data-deadline]', root);
    if (!el) return;
    var deadline = Date.parse(el.getAttribute('data-deadline'));
    if (isNaN(deadline)) return;
    var pad = function (n) { return String(n).padStart(2, '0'); };
    var tick = function () {
      var left = Math.floor((deadline - Date.now()) / 1000);
      if (left <= 0) {
        el.textContent = t('order.expired');
        $$('[data-order-action="pay"]', root).forEach(function (b) { b.disabled = true; b.classList.add('is-disabled'); });
        return false;
      }
      var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
      el.textContent = t('order.countdown', { time: (h ? h + ':' + pad(m) : pad(m)) + ':' + pad(s) });
      return true;
    };
    if (tick()) {
      var timer = setInterval(function () { if (!tick()) clearInterval(timer); }, 1000);
    }
  };

  pages.member = function (root) {
    var out = $('[data-sign-out]', root);
    if (!out) return;
    out.addEventListener('click', function () {
      confirmDialog(t('member.signOutConfirm')).then(function (yes) {
        if (!yes) return;
        api('POST', '/api/v1/sign-out').then(function () { location.href = '/'; }, fail);
      });
    });
  };

  pages.addresses = function (root) {
    var list = readJson('address-data') || [];
    var sheet = $('#address-sheet');
    var form = $('[data-address-form]', sheet);
    var title = $('[data-address-sheet-title]', sheet);
    addressForm(form, function () {
      toast(t('address.saved'));
      setTimeout(function () { location.reload(); }, 500);
    });
    function find(id) { return list.find(function (a) { return a.id === Number(id); }); }
    $('[data-address-add]', root).addEventListener('click', function () {
      fillAddress(form, null);
      title.textContent = t('address.add');
      openSheet(sheet);
    });
    root.addEventListener('click', function (e) {
      var edit = e.target.closest('[data-address-edit]');
      if (edit) {
        fillAddress(form, find(edit.getAttribute('data-address-edit')));
        title.textContent = t('address.edit');
        openSheet(sheet);
        return;
      }
      var del = e.target.closest('[data-address-delete]');
      if (del) {
        confirmDialog(t('address.removeConfirm')).then(function (yes) {
          if (!yes) return;
          api('DELETE', '/api/v1/addresses/' + encodeURIComponent(del.getAttribute('data-address-delete'))).then(function () {
            toast(t('address.removed'));
            setTimeout(function () { location.reload(); }, 500);
          }, fail);
        });
        return;
      }
      var def = e.target.closest('[data-address-default]');
      if (def && !def.disabled) {
        var a = find(def.getAttribute('data-address-default'));
        if (!a) return;
        var body = {};
        ADDRESS_FIELDS.forEach(function (f) { body[f] = a[f]; });
        body.isDefault = true;
        api('PUT', '/api/v1/addresses/' + a.id, body).then(function () { location.reload(); }, fail);
      }
    });
  };

  pages['sign-in'] = function (root) {
    var form = $('[data-sign-in-form]', root);
    if (!form) return;
    var next = samePath(root.getAttribute('data-next'), '/');
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var btn = $('button[type=submit]', form);
      if (isBusy(btn)) return;
      clearErrors(form);
      var nickname = String(form.elements.nickname.value || '').trim();
      if (!nickname) { fieldError(form, 'nickname', t('signIn.nicknameRequired')); form.elements.nickname.focus(); return; }
      if (/[<>"'&]/.test(nickname)) { fieldError(form, 'nickname', t('signIn.nicknameInvalid')); return; }
      busy(btn, true);
      api('POST', '/api/v1/sandbox/sign-in', { nickname: nickname }).then(function () {
        location.href = next;
      }, function (err) {
        busy(btn, false);
        serverErrors(form, err, function () { return t('signIn.nicknameInvalid'); });
      });
    });
  };

  // ---------- copy to clipboard ----------
  doc.addEventListener('click', function (e) {
    var btn = e.target.closest && e.target.closest('[data-copy]');
    if (!btn) return;
    var text = btn.getAttribute('data-copy');
    var done = function () { toast(t('common.copied')); };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () { legacyCopy(text); done(); });
    } else {
      legacyCopy(text);
      done();
    }
  });
  function legacyCopy(text) {
    var area = doc.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    doc.body.appendChild(area);
    area.select();
    try { doc.execCommand('copy'); } catch (e) { /* nothing more to try */ }
    doc.body.removeChild(area);
  }

  // ---------- start ----------
  function start() {
    fixBrokenImages();
    loadBadge();
    var root = $('[data-page]');
    var name = root && root.getAttribute('data-page');
    if (name && pages[name]) pages[name](root);
    doc.documentElement.setAttribute('data-ready', '1');
  }
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', start);
  else start();

  window.mallTheme = { api: api, t: t, toast: toast, confirm: confirmDialog, yuan: yuan, startPayment: startPayment };
})();
