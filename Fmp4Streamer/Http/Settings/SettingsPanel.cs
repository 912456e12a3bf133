namespace Fmp4Streamer.Http.Settings;

/// <summary>
/// The camera page's settings panel: a button opens it, and it lists controls.json as sliders (integers), switches
/// (booleans), lists (menus) and buttons, grouped by device and control class. Each change is sent as soon as the
/// hand rests (debounced), so the picture follows the slider; the answer's read-back value (clamped, rounded to the
/// step) is shown, and the list is read again for controls an automatic mode switched on or off. Both stay hidden
/// unless controls.json says this client may change settings. Without JavaScript nothing appears.
/// </summary>
public static class SettingsPanel
{
    public const string Element = """
        <style>
        #settings-open{position:fixed;top:8px;right:8px;z-index:2;display:none;width:44px;height:44px;border:0;border-radius:22px;background:rgba(0,0,0,.55);color:#fff;font-size:24px;cursor:pointer}
        #settings{position:fixed;top:0;right:0;bottom:0;z-index:3;display:none;width:min(360px,100%);box-sizing:border-box;overflow-y:auto;padding:12px 16px 48px;background:rgba(32,32,32,.94);color:#eee;font:15px system-ui,sans-serif}
        #settings h2{font-size:17px;margin:4px 0 8px}
        #settings h3{font-size:13px;text-transform:uppercase;letter-spacing:.05em;color:#aaa;margin:18px 0 6px}
        #settings .row{display:flex;flex-wrap:wrap;align-items:center;gap:4px 8px;padding:6px 0;border-bottom:1px solid #444}
        #settings .row label{flex:1 1 60%;min-width:0;overflow-wrap:anywhere}
        #settings .row output{min-width:3em;text-align:right;color:#ccc}
        #settings .row input[type=range]{flex:1 1 100%;height:32px;margin:0}
        #settings .row select,#settings .row input[type=text],#settings .row button{font:inherit;min-height:36px}
        #settings .row input[type=checkbox]{width:24px;height:24px}
        #settings .off{opacity:.45}
        #settings-close{float:right;font-size:22px;background:none;border:0;color:#eee;cursor:pointer;min-width:44px;min-height:44px}
        #settings-status{position:sticky;bottom:-48px;padding:8px 0;color:#fc6;min-height:1em}
        </style>
        <button id="settings-open" type="button" title="Camera settings" aria-label="Camera settings">&#9881;</button>
        <div id="settings" role="dialog" aria-label="Camera settings">
        <button id="settings-close" type="button" aria-label="Close">&#10005;</button>
        <h2>Camera settings</h2>
        <div id="settings-list"></div>
        <div id="settings-status" aria-live="polite"></div>
        </div>
        <script>
        (function () {
          var openButton = document.getElementById('settings-open');
          var panel = document.getElementById('settings');
          var list = document.getElementById('settings-list');
          var statusLine = document.getElementById('settings-status');
          if (!window.fetch || !openButton) return;
          var pending = {}, timer = null, refresh = null, inputs = {};

          function load(build) {
            return fetch('controls.json', { cache: 'no-store' }).then(function (r) { return r.json(); }).then(function (doc) {
              var any = doc.may_change && doc.devices.some(function (d) { return d.classes.length > 0; });
              openButton.style.display = any ? 'block' : 'none';
              if (!any) { panel.style.display = 'none'; return; }
              if (build) render(doc); else update(doc);
            }).catch(function () {});
          }

          function each(doc, f) {
            doc.devices.forEach(function (d) { d.classes.forEach(function (cl) { cl.controls.forEach(function (c) { f(c, d, cl); }); }); });
          }

          function render(doc) {
            list.textContent = '';
            inputs = {};
            doc.devices.forEach(function (d) {
              if (d.classes.length === 0) return;
              if (doc.devices.length > 1) heading('h3', d.role + ' ' + d.path + (d.card ? ' (' + d.card + ')' : ''));
              d.classes.forEach(function (cl) {
                heading('h3', cl.name);
                cl.controls.forEach(function (c) { if (c.type !== 'compound') list.appendChild(row(c)); });
              });
            });
            statusLine.textContent = doc.persist ? '' : 'Changes are kept until the daemon stops.';
          }

          function heading(tag, text) {
            var h = document.createElement(tag);
            h.textContent = text;
            list.appendChild(h);
          }

          function row(c) {
            var div = document.createElement('div'), label = document.createElement('label'), input, out = null;
            div.className = 'row';
            label.textContent = c.label;
            label.title = c.key;
            div.appendChild(label);
            if (c.type === 'integer' || c.type === 'integer64') {
              input = document.createElement('input');
              input.type = 'range';
              input.min = c.min; input.max = c.max; input.step = c.step || 1;
              out = document.createElement('output');
              div.appendChild(out);
              input.addEventListener('input', function () { out.textContent = input.value; send(c.key, Number(input.value)); });
            } else if (c.type === 'boolean') {
              input = document.createElement('input');
              input.type = 'checkbox';
              input.setAttribute('role', 'switch');
              input.addEventListener('change', function () { send(c.key, input.checked); });
            } else if (c.type === 'menu' || c.type === 'integer_menu') {
              input = document.createElement('select');
              c.menu.forEach(function (m) {
                var o = document.createElement('option');
                o.value = m.index; o.textContent = m.label;
                input.appendChild(o);
              });
              input.addEventListener('change', function () { send(c.key, input.options[input.selectedIndex].textContent); });
            } else if (c.type === 'button') {
              input = document.createElement('button');
              input.type = 'button';
              input.textContent = c.label;
              label.textContent = '';
              input.addEventListener('click', function () { send(c.key, true); });
            } else {
              input = document.createElement('input');
              input.type = 'text';
              input.addEventListener('change', function () { send(c.key, input.value); });
            }
            input.id = 'control-' + c.key;
            label.htmlFor = input.id;
            div.appendChild(input);
            inputs[c.key] = { control: c, input: input, output: out, row: div };
            show(c);
            return div;
          }

          function show(c) {
            var e = inputs[c.key];
            if (!e) return;
            e.control = c;
            var busy = pending.hasOwnProperty(c.key);
            if (!busy && c.value !== null && c.value !== undefined) {
              if (c.type === 'boolean') e.input.checked = c.value !== 0;
              else if (e.input.tagName === 'SELECT') e.input.value = String(c.value);
              else if (c.type !== 'button') e.input.value = c.value;
              if (e.output) e.output.textContent = c.value;
            }
            e.input.disabled = c.read_only || c.inactive;
            e.row.className = 'row' + (c.inactive ? ' off' : '');
            e.row.title = c.inactive ? 'inactive: an automatic mode overrides it' : c.needs_restart ? 'takes effect after a restart' : '';
          }

          function update(doc) { each(doc, show); }

          // Sliders send while they move, at most every 150 ms, so the picture follows without a flood of requests.
          function send(key, value) {
            pending[key] = value;
            if (!timer) timer = setTimeout(flush, 150);
          }

          function flush() {
            timer = null;
            var body = pending;
            pending = {};
            fetch('controls', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
              .then(function (r) { return r.json(); })
              .then(function (answer) {
                var problems = [];
                (answer.results || []).forEach(function (res) {
                  var e = inputs[res.key];
                  if (!res.ok) { problems.push(res.key + ': ' + res.error); return; }
                  if (e && typeof res.value === 'number' && !pending.hasOwnProperty(res.key)) {
                    e.control.value = res.value;
                    show(e.control);
                  }
                });
                if (answer.error) problems.push(answer.error);
                if (answer.saved_reason) problems.push(answer.saved_reason);
                statusLine.textContent = problems.join('; ');
                // Switching an automatic mode makes other controls (in)active: read the list again once things settle.
                clearTimeout(refresh);
                refresh = setTimeout(function () { load(false); }, 400);
              })
              .catch(function () { statusLine.textContent = 'The camera did not answer.'; });
          }

          openButton.addEventListener('click', function () {
            load(true).then(function () { if (openButton.style.display !== 'none') panel.style.display = 'block'; });
          });
          document.getElementById('settings-close').addEventListener('click', function () { panel.style.display = 'none'; });
          load(false);
        })();
        </script>

        """;
}
