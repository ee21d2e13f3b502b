// The plan editor, enhanced (the page works without this file): rows are
// added and removed in place, amounts get thousands separators, fields show
// only for the categories they belong to, each category's cap (data-caps,
// data-caps-per-worker) and the totals follow what is typed, and receipts are
// attached and removed without leaving the page (the JSON API, with the
// session's CSRF token).
(function () {
  'use strict';
  var form = document.getElementById('plan-form');
  if (!form) { return; }
  document.documentElement.className += ' js';
  var table = document.getElementById('expenses');
  var caps = JSON.parse((table && table.getAttribute('data-caps')) || '{}');
  var perWorker = JSON.parse((table && table.getAttribute('data-caps-per-worker')) || '{}');
  var removable = !!(table && table.getAttribute('data-files-removable'));
  var csrf = form.querySelector('input[name=csrf]').value;
  var caseId = form.getAttribute('action').split('/')[2];
  var KINDS = { receipt: '領収書', invoice: '請求書・納品書', work_rules: '就業規則等', other: 'その他' };

  var live = document.createElement('p');
  live.className = 'sr-only';
  live.setAttribute('role', 'status');
  (form.closest('.plan-editor') || document.body).appendChild(live);
  function say(message) { live.textContent = message; }

  // Full-width digits and separators as ASCII (the server normalises too).
  function halfWidth(s) {
    return s.replace(/[０-９，．－]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xFEE0);
    });
  }
  function parseYen(s) {
    var t = halfWidth(s).trim().replace(/^[¥￥]\s*/, '').replace(/\s*円$/, '');
    if (!/^\d{1,3}(,\d{3})*$/.test(t) && !/^\d+$/.test(t)) { return null; }
    return parseInt(t.replace(/,/g, ''), 10);
  }
  function fmt(n) { return n.toLocaleString('ja-JP'); }
  function yen(n) { return fmt(n) + '円'; }
  function sizeText(b) {
    if (b < 1024) { return b + ' バイト'; }
    if (b < 1024 * 1024) { return Math.ceil(b / 1024) + ' KB'; }
    return (b / 1024 / 1024).toFixed(1) + ' MB';
  }

  function workerCount() {
    var n = 0;
    document.querySelectorAll('#worker-rows tr.worker-row').forEach(function (r) {
      var name = r.querySelector('input[type=text]');
      if (name && name.value.trim()) { n += 1; }
    });
    return n;
  }

  function expenseRows() { return table ? table.querySelectorAll('tbody.expense-row') : []; }

  function update() {
    var totals = {}, paid = 0, planned = 0, workers = workerCount();
    expenseRows().forEach(function (r) {
      var c = r.querySelector('[data-role=category]').value;
      var a = parseYen(r.querySelector('[data-role=amount]').value) || 0;
      var status = r.querySelector('[data-role=status]').value;
      if (status === 'planned') { planned += a; } else { paid += a; }
      if (c) { totals[c] = (totals[c] || 0) + a; }
      // Lease months for leases, the purpose for travel (or whatever was given).
      r.querySelectorAll('[data-show-for]').forEach(function (box) {
        var input = box.querySelector('input, select');
        var show = box.getAttribute('data-show-for') === c || (input && input.value !== '');
        box.hidden = !show;
        if (input) { input.disabled = !show; }
      });
      // A planned item has no payment day yet.
      var paidBox = r.querySelector('.paid-on'), paidInput = paidBox.querySelector('input');
      var hide = status === 'planned' && paidInput.value === '';
      paidBox.hidden = hide;
      paidInput.disabled = hide;
    });
    expenseRows().forEach(function (r) {
      var c = r.querySelector('[data-role=category]').value, cell = r.querySelector('[data-role=cap]');
      cell.className = 'cap';
      if (!c) { cell.textContent = ''; return; }
      var cap;
      if (perWorker.hasOwnProperty(c)) {
        if (workers === 0) {
          cell.textContent = 'この区分の上限：対象労働者1人につき ' + yen(perWorker[c]);
          return;
        }
        cap = perWorker[c] * workers;
      } else if (caps.hasOwnProperty(c)) {
        cap = caps[c];
      } else {
        cell.textContent = '';
        return;
      }
      if (cap === 0) {
        cell.textContent = 'この区分はこの年度の対象外です';
        cell.className = 'cap ng';
        return;
      }
      var over = totals[c] > cap;
      cell.textContent = 'この区分の上限：' + yen(cap) + (over ? '（超過分は対象外）' : '');
      cell.className = 'cap ' + (over ? 'ng' : 'ok');
    });
    var tp = document.getElementById('total-paid'), tq = document.getElementById('total-planned');
    if (tp) { tp.textContent = yen(paid); }
    if (tq) { tq.textContent = yen(planned); }
  }

  // Rows: a button to remove each, the blank rows the page sent for use
  // without JavaScript tidied away, and a button to add more.
  function rowOf(el) { return el.closest('tr.worker-row, tbody.expense-row'); }

  function syncFiles(row) {
    if (!row.matches('tbody.expense-row')) { return; }
    var n = row.querySelectorAll('ul.files li').length;
    row.setAttribute('data-files', String(n));
    var button = row.querySelector('button.remove-row'), hint = row.querySelector('.files-hint');
    if (button) { button.hidden = n > 0; }
    if (hint) { hint.hidden = n === 0; }
  }

  function enhance(row) {
    var label = row.querySelector('label.remove-row');
    if (label && !row.querySelector('button.remove-row')) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'secondary small remove-row';
      button.textContent = 'この行を削除';
      label.hidden = true;
      label.parentNode.insertBefore(button, label);
    }
    syncFiles(row);
  }

  var nextKey = 0;
  form.querySelectorAll('[name]').forEach(function (el) {
    var m = /^[wx](\d+)_/.exec(el.name);
    if (m) { nextKey = Math.max(nextKey, parseInt(m[1], 10) + 1); }
  });

  function tidy(rows) {
    var blank = [], filled = 0;
    rows.forEach(function (r) { if (r.hasAttribute('data-blank')) { blank.push(r); } else { filled += 1; } });
    blank.forEach(function (r, i) { if (filled > 0 || i > 0) { r.parentNode.removeChild(r); } });
  }
  tidy(document.querySelectorAll('#worker-rows tr.worker-row'));
  tidy(expenseRows());
  document.querySelectorAll('#worker-rows tr.worker-row, tbody.expense-row').forEach(enhance);

  function addRow(button) {
    var tpl = document.getElementById(button.getAttribute('data-template'));
    var target = document.getElementById(button.getAttribute('data-target'));
    var row = tpl.content.querySelector('tr.worker-row, tbody.expense-row').cloneNode(true);
    var key = String(nextKey++);
    [row].concat(Array.prototype.slice.call(row.querySelectorAll('*'))).forEach(function (el) {
      Array.prototype.slice.call(el.attributes).forEach(function (a) {
        if (a.value.indexOf('__K__') >= 0) { el.setAttribute(a.name, a.value.replace(/__K__/g, key)); }
      });
    });
    target.appendChild(row);
    enhance(row);
    update();
    var first = row.querySelector('input[type=text], select');
    if (first) { first.focus(); }
    say('行を追加しました');
  }

  document.querySelectorAll('button.add-row').forEach(function (b) { b.hidden = false; });

  // Files on an expense row.
  function fileItem(a) {
    var li = document.createElement('li');
    var link = document.createElement('a');
    link.href = '/api/v1/cases/' + caseId + '/attachments/' + a.id;
    link.textContent = a.filename;
    li.appendChild(link);
    li.appendChild(document.createTextNode(' （' + (KINDS[a.kind] || '') + '、' + sizeText(a.size_bytes) + '）'));
    if (removable) {
      var del = document.createElement('button');
      del.type = 'button';
      del.className = 'link delete-file';
      del.setAttribute('data-attachment', String(a.id));
      del.setAttribute('aria-label', a.filename + ' を削除');
      del.textContent = '削除';
      li.appendChild(document.createTextNode(' '));
      li.appendChild(del);
    }
    return li;
  }

  function uploadState(input, message, bad) {
    var box = input.closest('.upload'), status = box.querySelector('.upload-status');
    status.textContent = message;
    status.className = 'upload-status' + (bad ? ' field-error' : '');
    if (bad) {
      input.setAttribute('aria-invalid', 'true');
    } else {
      input.removeAttribute('aria-invalid');
    }
  }

  function answer(res) {
    return res.text().then(function (text) {
      var body = {};
      try { body = text ? JSON.parse(text) : {}; } catch (e) { body = {}; }
      return { ok: res.ok, body: body };
    });
  }

  function upload(f) {
    var key = f.getAttribute('data-row'), expense = f.getAttribute('data-expense');
    var input = document.getElementById('x' + key + '_file');
    var kind = document.querySelector('select[name=kind][form="' + f.id + '"]');
    var file = input.files[0];
    if (!file) { return; }
    uploadState(input, '送信しています…', false);
    var url = '/api/v1/cases/' + caseId + '/attachments?kind=' + encodeURIComponent(kind ? kind.value : 'receipt') +
      '&filename=' + encodeURIComponent(file.name) + '&expense=' + encodeURIComponent(expense);
    fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': file.type || 'application/octet-stream', 'X-CSRF-Token': csrf },
      body: file
    }).then(answer).then(function (r) {
      if (!r.ok) {
        uploadState(input, (r.body.error && r.body.error.message) || '添付できませんでした。もう一度お試しください。', true);
        return;
      }
      var row = document.getElementById('xrow-' + key);
      row.querySelector('ul.files').appendChild(fileItem(r.body));
      input.value = '';
      uploadState(input, '添付しました：' + r.body.filename, false);
      syncFiles(row);
    }, function () {
      uploadState(input, '通信できませんでした。もう一度お試しください。', true);
    });
  }

  function removeFile(button) {
    var li = button.closest('li'), row = rowOf(button);
    var status = row.querySelector('.upload-status');
    fetch('/api/v1/cases/' + caseId + '/attachments/' + button.getAttribute('data-attachment'), {
      method: 'DELETE',
      credentials: 'same-origin',
      headers: { 'X-CSRF-Token': csrf }
    }).then(answer).then(function (r) {
      if (!r.ok) {
        if (status) {
          status.textContent = (r.body.error && r.body.error.message) || '削除できませんでした。';
          status.className = 'upload-status field-error';
        }
        return;
      }
      li.parentNode.removeChild(li);
      if (status) { status.textContent = '添付ファイルを削除しました'; status.className = 'upload-status'; }
      syncFiles(row);
    });
  }

  document.addEventListener('click', function (e) {
    var t = e.target.closest ? e.target.closest('button, input[type=submit]') : null;
    if (!t) { return; }
    if (t.classList.contains('add-row')) {
      addRow(t);
    } else if (t.classList.contains('remove-row')) {
      var row = rowOf(t), focusTo = document.querySelector('button.add-row[data-target="' + (row.matches('tr') ? 'worker-rows' : 'expenses') + '"]');
      row.parentNode.removeChild(row);
      update();
      if (focusTo) { focusTo.focus(); }
      say('行を削除しました。「保存する」を押すと確定します');
    } else if (t.classList.contains('delete-file') && window.fetch) {
      e.preventDefault();
      removeFile(t);
    }
  });

  document.addEventListener('submit', function (e) {
    var f = e.target;
    if (window.fetch && f.id && f.id.indexOf('up-') === 0) {
      e.preventDefault();
      upload(f);
    }
  });

  form.addEventListener('change', function (e) {
    var t = e.target;
    if (t.matches('input.amount')) {
      var n = parseYen(t.value);
      if (n !== null) { t.value = fmt(n); }
    } else if (t.matches('input.count') && /^[0-9０-９]+$/.test(t.value.trim())) {
      t.value = halfWidth(t.value.trim());
    } else if (t.matches('input[type=date]') && t.closest('.paid-on') && t.value) {
      // A payment day given: the item is paid.
      var status = rowOf(t).querySelector('[data-role=status]');
      if (status.value === 'planned') { status.value = 'paid'; }
    }
    update();
  });
  form.addEventListener('input', update);
  update();

  var summary = document.getElementById('error-summary');
  if (summary) { summary.focus(); }
})();
