/* evalharness HTML report: lazy segment view.
 *
 * All report text is data: the DOM is built with createElement and textContent
 * only, never innerHTML, and no handler is built from data. The segment records
 * are described in evalharness/report/html.py.
 */
(function () {
  'use strict';

  var SEV = ['minor', 'major', 'critical'];
  var CHUNK = 40;
  var PRINT_LIMIT = 2000;
  var DIFF_LIMIT = 250000; // token pairs; longer segments are shown without a word diff
  var F = { id: 0, ref: 1, hyp: 2, align: 3, scores: 4, errs: 5, refLines: 6, hypLines: 7, removed: 8, src: 9 };
  var E = { sev: 0, cat: 1, check: 2, msg: 3, hypSpan: 4, refSpan: 5, hs: 6, he: 7, rs: 8, re: 9 };
  var TOKEN = /[\p{L}\p{M}\p{N}]+(?:['\u2019][\p{L}\p{M}\p{N}]+)*|[^\s\p{L}\p{M}\p{N}]/gu;
  var HASH = /^#(?:sys-(\d+)-)?seg-(-?\d+)$/;
  var QA_CHECKS = ['glossary', 'format'];

  performance.mark('evalharness-script');
  var DATA = JSON.parse(document.getElementById('data').textContent);
  performance.mark('evalharness-parsed');
  var TEXTS = DATA.texts;
  var CATS = DATA.categories;
  var SYSTEMS = DATA.systems;
  var LANGS = DATA.langs || {};
  var caches = SYSTEMS.map(function () { return {}; });
  var state = { sys: -1, order: [], lo: 0, hi: 0, target: null };
  var tipCounter = 0;

  function byId(id) { return document.getElementById(id); }
  var ui = {
    form: byId('controls'), search: byId('f-search'), severity: byId('f-severity'),
    category: byId('f-category'), check: byId('f-check'), alignment: byId('f-alignment'), sort: byId('f-sort'),
    errors: byId('f-errors'), rows: byId('rows'), count: byId('count'),
    before: byId('more-before'), after: byId('more-after'), sentinel: byId('sentinel'),
    sysLabel: byId('segments-system'), dialog: byId('compare'), dialogBody: byId('compare-body'),
    dialogClose: byId('compare-close'), section: byId('segments')
  };

  /* User text in the language of one side: its lang, and its direction (rtl for
     Hebrew, Arabic, ...; "auto" when the language is unknown), so that word diffs
     and highlights inside it read in the text's own direction. */
  function inLanguage(node, side) {
    var l = LANGS[side] || {};
    if (l.lang) node.lang = l.lang;
    node.dir = l.dir || 'auto';
    return node;
  }

  /* "Label: text" where the text is the user's, isolated from the label's direction. */
  function labelled(tag, cls, label, text, side) {
    var node = el(tag, cls, label);
    node.appendChild(inLanguage(el('bdi', null, text), side));
    return node;
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function option(value, text) {
    var node = el('option', null, text);
    node.value = String(value);
    return node;
  }

  function formatScore(metric, value) {
    if (value === null || value === undefined) return '\u2013';
    return value.toFixed(metric === 'comet' ? 3 : 1);
  }

  function worstOf(errs) {
    var worst = -1;
    for (var i = 0; i < errs.length; i++) if (errs[i][E.sev] > worst) worst = errs[i][E.sev];
    return worst;
  }

  function hasErr(errs, field, value) {
    for (var i = 0; i < errs.length; i++) if (errs[i][field] === value) return true;
    return false;
  }

  // --- lazily built per-system indexes ------------------------------------

  function idIndex(k) {
    var c = caches[k];
    if (!c.ids) {
      c.ids = new Map();
      SYSTEMS[k].segs.forEach(function (s, i) { if (!c.ids.has(s[F.id])) c.ids.set(s[F.id], i); });
    }
    return c.ids;
  }

  function refIndex(k) {
    var c = caches[k];
    if (!c.refs) {
      c.refs = new Map();
      SYSTEMS[k].segs.forEach(function (s, i) { if (!c.refs.has(s[F.ref])) c.refs.set(s[F.ref], i); });
    }
    return c.refs;
  }

  function haystack(k) {
    var c = caches[k];
    if (!c.hay) {
      c.hay = SYSTEMS[k].segs.map(function (s) {
        return (TEXTS[s[F.ref]] + '\n' + s[F.hyp]).toLowerCase();
      });
    }
    return c.hay;
  }

  // --- filtering and sorting ----------------------------------------------

  function readFilters() {
    var sev = ui.severity.value;
    return {
      q: ui.search.value.trim().toLowerCase(),
      sev: sev === '' ? null : sev === 'none' ? -1 : Number(sev),
      cat: ui.category.value === '' ? -1 : Number(ui.category.value),
      check: ui.check.value,
      align: ui.alignment.value,
      onlyErrors: ui.errors.checked,
      sort: ui.sort.value
    };
  }

  function matches(seg, i, f, hay) {
    var errs = seg[F.errs];
    if (f.onlyErrors && !errs.length) return false;
    if (f.align && seg[F.align] !== f.align) return false;
    if (f.sev === -1 && errs.length) return false;
    if (f.sev !== null && f.sev >= 0 && !hasErr(errs, E.sev, f.sev)) return false;
    if (f.cat >= 0 && !hasErr(errs, E.cat, f.cat)) return false;
    if (f.check && !errs.some(function (err) { return checkMatches(err[E.check], f.check); })) return false;
    return !hay || hay[i].indexOf(f.q) >= 0;
  }

  function checkMatches(check, wanted) {
    return wanted === 'qa' ? QA_CHECKS.indexOf(check) >= 0 : check === wanted;
  }

  function computeOrder() {
    var segs = SYSTEMS[state.sys].segs;
    var f = readFilters();
    var hay = f.q ? haystack(state.sys) : null;
    var order = [];
    for (var i = 0; i < segs.length; i++) if (matches(segs[i], i, f, hay)) order.push(i);
    sortOrder(order, segs, f.sort);
    state.order = order;
  }

  function sortOrder(order, segs, key) {
    if (key === 'worst') {
      order.sort(function (a, b) {
        var ea = segs[a][F.errs], eb = segs[b][F.errs];
        return (worstOf(eb) - worstOf(ea)) || (eb.length - ea.length) || (a - b);
      });
      return;
    }
    var m = /^m:(\d+):(asc|desc)$/.exec(key);
    if (!m) return;
    var k = Number(m[1]), dir = m[2] === 'asc' ? 1 : -1;
    order.sort(function (a, b) {
      var x = segs[a][F.scores][k], y = segs[b][F.scores][k];
      if (x === null) return y === null ? a - b : 1;
      if (y === null) return -1;
      return ((x - y) * dir) || (a - b);
    });
  }

  // --- word diff ------------------------------------------------------------

  function tokenize(text) {
    var tokens = [];
    TOKEN.lastIndex = 0;
    var m;
    while ((m = TOKEN.exec(text)) !== null) tokens.push([m.index, m.index + m[0].length, m[0]]);
    return tokens;
  }

  /* Marks the characters of words that are not part of a longest common
     subsequence of the two token lists. Returns {ref, hyp}: Uint8Arrays, or null. */
  function wordDiff(ref, hyp) {
    var a = tokenize(ref), b = tokenize(hyp), n = a.length, m = b.length;
    if (n * m > DIFF_LIMIT) return null;
    var w = m + 1, lcs = new Uint16Array((n + 1) * w);
    for (var i = n - 1; i >= 0; i--) {
      for (var j = m - 1; j >= 0; j--) {
        lcs[i * w + j] = a[i][2] === b[j][2] ? lcs[(i + 1) * w + j + 1] + 1
          : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
      }
    }
    var keepA = new Uint8Array(n), keepB = new Uint8Array(m);
    i = 0; j = 0;
    while (i < n && j < m) {
      if (a[i][2] === b[j][2]) { keepA[i++] = 1; keepB[j++] = 1; }
      else if (lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) i++;
      else j++;
    }
    return { ref: changedChars(ref, a, keepA), hyp: changedChars(hyp, b, keepB) };
  }

  function changedChars(text, tokens, keep) {
    var changed = new Uint8Array(text.length);
    for (var t = 0; t < tokens.length; t++) {
      if (keep[t]) continue;
      var from = tokens[t][0];
      // Join a run of changed words into one mark, spaces included.
      if (t > 0 && !keep[t - 1]) from = tokens[t - 1][1];
      changed.fill(1, from, tokens[t][1]);
    }
    return changed;
  }

  // --- text with diff marks and finding spans -----------------------------

  function spansOf(errs, startField, endField, length) {
    var spans = [];
    errs.forEach(function (err) {
      var s = err[startField], e = err[endField];
      if (s === null || e === null || s >= e || s < 0) return;
      spans.push({ s: s, e: Math.min(e, length), err: err });
    });
    return spans;
  }

  function renderText(container, text, changed, spans, diffTag) {
    var cuts = [0, text.length];
    spans.forEach(function (sp) { cuts.push(sp.s, sp.e); });
    if (changed) for (var i = 1; i < text.length; i++) if (changed[i] !== changed[i - 1]) cuts.push(i);
    cuts = Array.from(new Set(cuts)).sort(function (x, y) { return x - y; });
    var key = '', target = container, covering = [];
    for (var c = 0; c + 1 < cuts.length; c++) {
      var a = cuts[c], b = cuts[c + 1];
      var cover = spans.filter(function (sp) { return sp.s < b && sp.e > a; });
      var coverKey = cover.map(function (sp) { return spans.indexOf(sp); }).join(',');
      if (coverKey !== key) {
        if (covering.length) container.appendChild(tooltip(target, covering));
        key = coverKey; covering = cover;
        target = cover.length ? container.appendChild(markFor(cover)) : container;
      }
      var piece = text.slice(a, b);
      target.appendChild(changed && changed[a] ? el(diffTag, null, piece) : document.createTextNode(piece));
    }
    if (covering.length) container.appendChild(tooltip(target, covering));
  }

  function markFor(cover) {
    var worst = Math.max.apply(null, cover.map(function (sp) { return sp.err[E.sev]; }));
    var mark = el('mark', 'err sev-' + SEV[worst]);
    mark.tabIndex = 0;
    return mark;
  }

  function tooltip(mark, cover) {
    var tip = el('span', 'tip');
    tip.id = 'tip-' + (++tipCounter);
    tip.setAttribute('role', 'tooltip');
    cover.forEach(function (sp, i) {
      if (i) tip.appendChild(el('br'));
      tip.appendChild(el('bdi', null, findingText(sp.err)));
    });
    mark.setAttribute('aria-describedby', tip.id);
    return tip;
  }

  function findingText(err) {
    return SEV[err[E.sev]] + ' \u00b7 ' + CATS[err[E.cat]] + ': ' + err[E.msg];
  }

  function textBlock(title, text, changed, spans, diffTag) {
    var col = el('div', 'col');
    col.appendChild(el('h4', null, title));
    var p = el('p', 'text');
    if (!text) {
      p.classList.add('empty');
      p.textContent = title === 'Reference' ? '(no reference text: hypothesis only)' : '(no hypothesis text: reference only)';
    } else {
      inLanguage(p, 'target');
      renderText(p, text, changed, spans, diffTag);
    }
    col.appendChild(p);
    return col;
  }

  // --- one segment ----------------------------------------------------------

  function scoreList(sys, seg) {
    var dl = el('dl', 'seg-scores');
    sys.metrics.forEach(function (metric, k) {
      var item = el('div');
      item.appendChild(el('dt', null, sys.labels[k]));
      item.appendChild(el('dd', null, formatScore(metric, seg[F.scores][k])));
      dl.appendChild(item);
    });
    return dl;
  }

  function findingList(errs) {
    var ul = el('ul', 'findings');
    errs.forEach(function (err) {
      var li = el('li');
      li.appendChild(el('span', 'badge sev-' + SEV[err[E.sev]], SEV[err[E.sev]]));
      li.appendChild(document.createTextNode(' '));
      li.appendChild(el('span', 'cat', CATS[err[E.cat]] + (err[E.check] ? ' (' + err[E.check] + ')' : '') + ': '));
      li.appendChild(el('bdi', null, err[E.msg]));
      var unplaced = [];
      if (err[E.hypSpan]) unplaced.push(['hypothesis', err[E.hypSpan]]);
      if (err[E.refSpan]) unplaced.push(['reference', err[E.refSpan]]);
      if (unplaced.length) {
        var hint = el('span', 'hint', ' (');
        unplaced.forEach(function (u, i) {
          hint.appendChild(document.createTextNode((i ? '; ' : '') + u[0] + ' \u201c'));
          hint.appendChild(inLanguage(el('bdi', null, u[1]), 'target'));
          hint.appendChild(document.createTextNode('\u201d'));
        });
        hint.appendChild(document.createTextNode(')'));
        li.appendChild(hint);
      }
      ul.appendChild(li);
    });
    return ul;
  }

  /* Reference and hypothesis side by side (or the hypothesis alone, in the
     comparison view, where the reference is shown once above). */
  function segmentBody(parent, seg, errs, hypOnly) {
    var ref = TEXTS[seg[F.ref]], hyp = seg[F.hyp];
    var diff = ref && hyp ? wordDiff(ref, hyp) : null;
    var cols = el('div', hypOnly ? 'cols single' : 'cols');
    if (!hypOnly) {
      cols.appendChild(textBlock('Reference', ref, diff && diff.ref, spansOf(errs, E.rs, E.re, ref.length), 'del'));
    }
    cols.appendChild(textBlock('Hypothesis', hyp, diff && diff.hyp, spansOf(errs, E.hs, E.he, hyp.length), 'ins'));
    parent.appendChild(cols);
    if (!hypOnly && hasSource(seg)) parent.appendChild(labelled('p', 'src', 'Source: ', TEXTS[seg[F.src]], 'source'));
    if (errs.length) parent.appendChild(findingList(errs));
  }

  function hasSource(seg) {
    return seg.length > F.src && seg[F.src] >= 0;
  }

  function lineText(seg) {
    var parts = [];
    if (seg[F.refLines].length) parts.push('ref line ' + seg[F.refLines].join(', '));
    if (seg[F.hypLines].length) parts.push('hyp line ' + seg[F.hypLines].join(', '));
    return parts.join('; ');
  }

  function renderRow(i) {
    var sys = SYSTEMS[state.sys], seg = sys.segs[i], errs = seg[F.errs], worst = worstOf(errs);
    var id = seg[F.id];
    var art = el('article', 'seg' + (worst >= 0 ? ' worst-' + SEV[worst] : ''));
    art.id = 'seg-' + id;
    art.tabIndex = -1;
    art.setAttribute('aria-labelledby', 'seg-h-' + id);
    var head = el('div', 'seg-head');
    var h = el('h3');
    h.id = 'seg-h-' + id;
    var link = el('a', null, 'Segment ' + id);
    link.href = '#seg-' + id;
    h.appendChild(link);
    head.appendChild(h);
    var badge = el('span', 'badge neutral', seg[F.align]);
    badge.title = 'alignment: reference sentences - hypothesis sentences';
    head.appendChild(badge);
    if (seg[F.removed]) head.appendChild(el('span', 'badge neutral', 'removed: ' + seg[F.removed]));
    var lines = lineText(seg);
    if (lines) head.appendChild(el('span', 'hint', lines));
    head.appendChild(scoreList(sys, seg));
    if (SYSTEMS.length > 1) {
      var btn = el('button', 'compare-btn', 'Compare systems');
      btn.type = 'button';
      btn.setAttribute('data-index', String(i));
      btn.setAttribute('aria-label', 'Compare segment ' + id + ' across systems');
      head.appendChild(btn);
    }
    art.appendChild(head);
    segmentBody(art, seg, errs);
    return art;
  }

  // --- incremental rendering ------------------------------------------------

  function appendRows(count) {
    var end = Math.min(state.order.length, state.hi + count);
    var frag = document.createDocumentFragment();
    for (var p = state.hi; p < end; p++) frag.appendChild(renderRow(state.order[p]));
    ui.rows.appendChild(frag);
    state.hi = end;
    updateButtons();
  }

  function prependRows(count) {
    var start = Math.max(0, state.lo - count);
    var anchor = ui.rows.firstElementChild;
    var top = anchor ? anchor.getBoundingClientRect().top : 0;
    var frag = document.createDocumentFragment();
    for (var p = start; p < state.lo; p++) frag.appendChild(renderRow(state.order[p]));
    ui.rows.insertBefore(frag, ui.rows.firstChild);
    state.lo = start;
    if (anchor) window.scrollBy(0, anchor.getBoundingClientRect().top - top);
    updateButtons();
  }

  function renderFrom(pos) {
    ui.rows.textContent = '';
    state.lo = state.hi = Math.max(0, Math.min(pos, state.order.length));
    appendRows(CHUNK);
  }

  function updateButtons() {
    ui.before.hidden = state.lo === 0;
    ui.after.hidden = state.hi >= state.order.length;
    var total = SYSTEMS[state.sys].segs.length;
    ui.count.textContent = state.order.length.toLocaleString('en') + ' of ' +
      total.toLocaleString('en') + ' segments match; ' + (state.hi - state.lo).toLocaleString('en') + ' shown';
  }

  function refresh() {
    computeOrder();
    renderFrom(0);
  }

  /* Printing shows every matching row when there are not too many of them;
     beyond PRINT_LIMIT only the rows already shown are printed. */
  function renderAllForPrint() {
    if (state.order.length > PRINT_LIMIT) return;
    if (state.lo > 0) prependRows(state.lo);
    if (state.hi < state.order.length) appendRows(state.order.length - state.hi);
  }

  function fillViewport() {
    if (state.hi >= state.order.length) return;
    if (ui.sentinel.getBoundingClientRect().top < window.innerHeight + 800) {
      appendRows(CHUNK);
      window.requestAnimationFrame(fillViewport);
    }
  }

  // --- systems, deep links, comparison ------------------------------------

  function selectSystem(k) {
    if (k === state.sys) return;
    state.sys = k;
    document.querySelectorAll('[role="tab"]').forEach(function (tab) {
      var on = Number(tab.getAttribute('data-system')) === k;
      tab.setAttribute('aria-selected', on ? 'true' : 'false');
      tab.tabIndex = on ? 0 : -1;
    });
    document.querySelectorAll('section.panel').forEach(function (panel) {
      panel.hidden = panel.id !== 'panel-' + k;
    });
    ui.sysLabel.textContent = SYSTEMS.length > 1 ? ': ' : '';
    if (SYSTEMS.length > 1) ui.sysLabel.appendChild(el('bdi', null, SYSTEMS[k].name));
    fillSortOptions(SYSTEMS[k]);
    refresh();
  }

  function fillSortOptions(sys) {
    var current = ui.sort.value;
    ui.sort.textContent = '';
    ui.sort.appendChild(option('doc', 'document order'));
    ui.sort.appendChild(option('worst', 'worst finding first'));
    sys.metrics.forEach(function (metric, k) {
      var better = sys.lower[k] ? ' (best first)' : ' (worst first)';
      var worse = sys.lower[k] ? ' (worst first)' : ' (best first)';
      ui.sort.appendChild(option('m:' + k + ':asc', sys.labels[k] + ' ascending' + better));
      ui.sort.appendChild(option('m:' + k + ':desc', sys.labels[k] + ' descending' + worse));
    });
    ui.sort.value = current;
    if (ui.sort.value !== current) ui.sort.value = 'doc';
  }

  function resetControls() {
    ui.search.value = '';
    ui.severity.value = '';
    ui.category.value = '';
    ui.alignment.value = '';
    ui.errors.checked = false;
    ui.sort.value = 'doc';
  }

  function jumpTo(hash) {
    var panel = /^#panel-(\d+)$/.exec(hash);
    if (panel && Number(panel[1]) < SYSTEMS.length) {
      selectSystem(Number(panel[1]));
      byId('panel-' + panel[1]).scrollIntoView({ block: 'start' });
      return true;
    }
    var m = HASH.exec(hash);
    if (!m) return false;
    var k = m[1] === undefined ? state.sys : Number(m[1]);
    if (k >= SYSTEMS.length) return false;
    selectSystem(k);
    var index = idIndex(k).get(Number(m[2]));
    if (index === undefined) return false;
    var pos = state.order.indexOf(index);
    if (pos < 0) {
      resetControls();
      computeOrder();
      pos = state.order.indexOf(index);
      renderFrom(Math.max(0, pos - 2));
    } else if (pos < state.lo || pos >= state.hi) {
      renderFrom(Math.max(0, pos - 2));
    }
    var row = byId('seg-' + SYSTEMS[k].segs[index][F.id]);
    if (!row) return false;
    if (state.target) state.target.classList.remove('target');
    state.target = row;
    row.classList.add('target');
    row.scrollIntoView({ block: 'start' });
    row.focus({ preventScroll: true });
    window.__evalharnessTarget = SYSTEMS[k].segs[index][F.id];
    return true;
  }

  function matchSegment(k, seg) {
    var segs = SYSTEMS[k].segs;
    var same = idIndex(k).get(seg[F.id]);
    if (same !== undefined && segs[same][F.ref] === seg[F.ref]) return same;
    if (!TEXTS[seg[F.ref]]) return -1;
    var byRef = refIndex(k).get(seg[F.ref]);
    return byRef === undefined ? -1 : byRef;
  }

  function openCompare(index) {
    var seg = SYSTEMS[state.sys].segs[index];
    var body = ui.dialogBody;
    body.textContent = '';
    body.appendChild(el('h3', null, 'Reference (segment ' + seg[F.id] + ')'));
    var refText = TEXTS[seg[F.ref]];
    body.appendChild(refText ? inLanguage(el('p', 'text', refText), 'target') : el('p', 'text', '(no reference text)'));
    if (hasSource(seg)) body.appendChild(labelled('p', 'src', 'Source: ', TEXTS[seg[F.src]], 'source'));
    SYSTEMS.forEach(function (sys, k) {
      var block = el('section', 'cmp-sys');
      var head = block.appendChild(el('h3'));
      head.appendChild(el('bdi', null, sys.name));
      if (k === state.sys) head.appendChild(document.createTextNode(' (current)'));
      var j = matchSegment(k, seg);
      if (j < 0) {
        block.appendChild(el('p', 'hint', 'No segment of this system has the same reference text.'));
      } else {
        var other = sys.segs[j];
        block.appendChild(scoreList(sys, other));
        segmentBody(block, other, other[F.errs], other[F.ref] === seg[F.ref]);
        var link = el('a', null, 'Open segment ' + other[F.id] + ' of ');
        link.appendChild(el('bdi', null, sys.name));
        link.href = '#sys-' + k + '-seg-' + other[F.id];
        block.appendChild(link);
      }
      body.appendChild(block);
    });
    ui.dialog.showModal();
    ui.dialogClose.focus();
  }

  // --- events ---------------------------------------------------------------

  function onClick(ev) {
    var target = ev.target;
    if (!target.closest) return;
    var link = target.closest('a[href^="#"]');
    if (link && HASH.test(link.getAttribute('href'))) {
      ev.preventDefault();
      if (ui.dialog.open) ui.dialog.close();
      var hash = link.getAttribute('href');
      if (jumpTo(hash)) history.pushState(null, '', hash);
      return;
    }
    var tab = target.closest('[role="tab"], a.system-link');
    if (tab) selectSystem(Number(tab.getAttribute('data-system')));
    var cat = target.closest('button[data-category]');
    if (cat) filterCategory(cat.getAttribute('data-category'));
    var cmp = target.closest('button.compare-btn');
    if (cmp) openCompare(Number(cmp.getAttribute('data-index')));
  }

  function filterCategory(name) {
    var index = CATS.indexOf(name);
    if (index < 0) return;
    ui.category.value = String(index);
    refresh();
    ui.section.scrollIntoView({ block: 'start' });
    ui.category.focus({ preventScroll: true });
  }

  function onTabKey(ev) {
    var tabs = Array.from(document.querySelectorAll('[role="tab"]'));
    var at = tabs.indexOf(ev.target);
    if (at < 0) return;
    var next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[ev.key];
    if (next === undefined) return;
    ev.preventDefault();
    next = (next + tabs.length) % tabs.length;
    tabs[next].focus();
    selectSystem(Number(tabs[next].getAttribute('data-system')));
  }

  /* Keeps scrolled-to and focused elements clear of the sticky controls (scroll-padding
     applies to scrollIntoView, fragment navigation and focus scrolling alike). */
  function padForControls() {
    var sticky = window.getComputedStyle(ui.form).position === 'sticky';
    document.documentElement.style.scrollPaddingTop = sticky ? (ui.form.offsetHeight + 12) + 'px' : '';
  }

  function init() {
    CATS.forEach(function (name, i) { ui.category.appendChild(option(i, name)); });
    var aligns = new Set();
    SYSTEMS.forEach(function (sys) { sys.segs.forEach(function (s) { aligns.add(s[F.align]); }); });
    Array.from(aligns).sort().forEach(function (a) { ui.alignment.appendChild(option(a, a)); });
    var checks = new Set();
    SYSTEMS.forEach(function (sys) {
      sys.segs.forEach(function (s) { s[F.errs].forEach(function (e) { if (e[E.check]) checks.add(e[E.check]); }); });
    });
    Array.from(checks).sort().forEach(function (c) { ui.check.appendChild(option(c, c)); });

    var timer = 0;
    ui.search.addEventListener('input', function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 150);
    });
    [ui.severity, ui.category, ui.check, ui.alignment, ui.sort, ui.errors].forEach(function (control) {
      control.addEventListener('change', refresh);
    });
    ui.form.addEventListener('submit', function (ev) { ev.preventDefault(); refresh(); });
    ui.form.addEventListener('reset', function () { window.setTimeout(refresh, 0); });
    ui.before.addEventListener('click', function () { prependRows(CHUNK); });
    ui.after.addEventListener('click', function () { appendRows(CHUNK); });
    ui.dialogClose.addEventListener('click', function () { ui.dialog.close(); });
    document.addEventListener('click', onClick);
    document.addEventListener('keydown', function (ev) {
      if (ev.target && ev.target.getAttribute && ev.target.getAttribute('role') === 'tab') onTabKey(ev);
    });
    window.addEventListener('hashchange', function () { jumpTo(location.hash); });
    window.addEventListener('beforeprint', renderAllForPrint);
    window.addEventListener('resize', padForControls);
    padForControls();
    if ('IntersectionObserver' in window) {
      new IntersectionObserver(function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; })) fillViewport();
      }, { rootMargin: '0px 0px 800px 0px' }).observe(ui.sentinel);
    }

    if (!SYSTEMS.length) {
      ui.count.textContent = 'No systems in this report.';
    } else {
      selectSystem(0);
      if (location.hash) jumpTo(location.hash);
    }
    window.__evalharnessReady = performance.now();
    document.documentElement.setAttribute('data-ready', '1');
  }

  init();
})();
