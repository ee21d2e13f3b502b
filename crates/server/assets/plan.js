(function () {
  var form = document.querySelector('#expenses');
  if (!form) { return; }
  var caps = JSON.parse(form.getAttribute('data-caps') || '{}');
  function yen(n) { return n.toLocaleString('ja-JP') + '円'; }
  function update() {
    var rows = form.querySelectorAll('tbody tr'), totals = {};
    rows.forEach(function (r) {
      var c = r.querySelector('select[data-row]').value, a = parseInt(r.querySelector('input[type=number]').value || '0', 10) || 0;
      totals[c] = (totals[c] || 0) + a;
    });
    rows.forEach(function (r) {
      var c = r.querySelector('select[data-row]').value, cell = r.querySelector('td.cap');
      if (!c) { cell.textContent = ''; return; }
      var cap = caps[c] || 0;
      cell.textContent = cap === 0 ? '対象外' : yen(cap) + (totals[c] > cap ? '（超過分は対象外）' : '');
      cell.className = 'num cap ' + (cap === 0 || totals[c] > cap ? 'ng' : 'ok');
    });
  }
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  update();
})();
