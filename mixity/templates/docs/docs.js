// mixity docs: the fr/en switch, remembered in the URL hash ("#en" or "#en:mix-Meeting"), so
// that a link or a bookmark keeps the language; works from file:// with no network.
(function () {
  'use strict';
  var root = document.documentElement;
  var current = root.getAttribute('data-lang') || 'fr';
  var LANGS = ['fr', 'en'];

  function parse() {
    var hash = location.hash.slice(1);
    try { hash = decodeURIComponent(hash); } catch (e) { /* keep it as it is */ }
    var found = /^(fr|en)(?::(.*))?$/.exec(hash);
    return found ? { lang: found[1], id: found[2] || '' } : { lang: null, id: hash };
  }

  function apply(lang) {
    current = LANGS.indexOf(lang) >= 0 ? lang : current;
    root.setAttribute('data-lang', current);
    root.setAttribute('lang', current);
    document.title = root.getAttribute('data-title-' + current) || document.title;
    document.querySelectorAll('[data-set-lang]').forEach(function (button) {
      button.setAttribute('aria-pressed', String(button.getAttribute('data-set-lang') === current));
    });
    // Links to the other pages carry the language too.
    document.querySelectorAll('a[data-page]').forEach(function (link) {
      var id = link.getAttribute('data-id');
      link.setAttribute('href', link.getAttribute('data-page') + '#' + current + (id ? ':' + id : ''));
    });
  }

  function reveal(id) {
    var target = id ? document.getElementById(id) : null;
    document.querySelectorAll('.targeted').forEach(function (el) { el.classList.remove('targeted'); });
    if (!target) return;
    for (var up = target; up; up = up.parentElement) {
      if (up.tagName === 'DETAILS') up.open = true;
    }
    target.classList.add('targeted');
    target.scrollIntoView();
  }

  function remember(id) {
    history.replaceState(null, '', '#' + current + (id ? ':' + id : ''));
  }

  function follow() {
    var where = parse();
    if (where.lang) apply(where.lang);
    else if (where.id) remember(where.id);
    reveal(where.id);
  }

  document.querySelectorAll('[data-set-lang]').forEach(function (button) {
    button.addEventListener('click', function () {
      apply(button.getAttribute('data-set-lang'));
      remember(parse().id);
    });
  });
  document.querySelectorAll('[data-tree]').forEach(function (button) {
    button.addEventListener('click', function () {
      var open = button.getAttribute('data-tree') === 'open';
      document.querySelectorAll('.tree details').forEach(function (d) { d.open = open; });
    });
  });
  window.addEventListener('hashchange', follow);
  apply(parse().lang || current);
  follow();
  document.body.setAttribute('data-ready', 'true');
})();
