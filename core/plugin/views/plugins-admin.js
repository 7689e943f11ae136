// Admin plugin pages: enable/disable buttons and the generated settings form, sent as JSON with the CSRF header.
(function () {
  var holder = document.querySelector('[data-csrf]');
  var csrf = holder ? holder.getAttribute('data-csrf') : '';
  var message = document.getElementById('message');
  function show(text, ok) {
    if (!message) { alert(text); return; }
    message.textContent = text;
    message.className = ok ? 'ok' : 'error';
  }
  function send(method, url, body) {
    return fetch(url, { method: method, credentials: 'same-origin', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: body ? JSON.stringify(body) : undefined })
      .then(function (res) { return res.json().then(function (data) { if (!res.ok) throw new Error(data.message || res.statusText); return data; }); });
  }
  document.querySelectorAll('[data-plugin-action]').forEach(function (button) {
    button.addEventListener('click', function () {
      var id = button.getAttribute('data-plugin');
      send('POST', '/api/v1/plugins/' + encodeURIComponent(id) + '/' + button.getAttribute('data-plugin-action'))
        .then(function (data) { show(data.message, true); setTimeout(function () { location.reload(); }, 800); })
        .catch(function (err) { show(err.message, false); });
    });
  });
  var form = document.querySelector('form[data-plugin-settings]');
  if (form) form.addEventListener('submit', function (event) {
    event.preventDefault();
    var settings = {};
    try {
      form.querySelectorAll('[data-setting]').forEach(function (el) {
        if (el.disabled) return;
        var key = el.getAttribute('data-setting');
        var type = el.getAttribute('data-type');
        if (type === 'boolean') settings[key] = el.checked;
        else if (type === 'integer') { if (!/^-?\d+$/.test(el.value.trim())) throw new Error(key + ': enter a whole number'); settings[key] = Number(el.value); }
        else if (type === 'money') {
          var m = /^\s*(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(el.value);
          if (!m) throw new Error(key + ': enter an amount in yuan, e.g. 19.90');
          settings[key] = Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0'));
        } else if (type === 'json') {
          try { settings[key] = JSON.parse(el.value); } catch (e) { throw new Error(key + ': not valid JSON (' + e.message + ')'); }
        } else settings[key] = el.value;
      });
    } catch (err) { show(err.message, false); return; }
    send('PUT', '/api/v1/plugins/' + encodeURIComponent(form.getAttribute('data-plugin-settings')) + '/settings', { settings: settings })
      .then(function () { show('已保存，立即生效 Saved: applies at once', true); })
      .catch(function (err) { show(err.message, false); });
  });
})();
