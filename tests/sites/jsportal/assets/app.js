(function () {
  "use strict";
  var esc = function (s) {
    return String(s).replace(/[&<>"]/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c];
    });
  };
  var getJSON = function (url) {
    return fetch(url).then(function (r) {
      if (!r.ok) { throw new Error(url + " " + r.status); }
      return r.json();
    });
  };
  var card = function (a) {
    return '<article class="post-card"><img class="thumb" src="' + a.image + '" alt="">' +
      '<h3 class="post-card__title"><a href="' + a.url + '">' + esc(a.title) + '</a></h3>' +
      '<span class="date">' + esc(a.date) + '</span></article>';
  };
  function listing(body) {
    var list = document.getElementById("list");
    var more = document.getElementById("muat");
    var sentinel = document.getElementById("sentinel");
    var next = "/api/" + body.dataset.feed + "-1.json";
    var busy = false;
    function load() {
      if (!next || busy) { return Promise.resolve(); }
      busy = true;
      return getJSON(next).then(function (data) {
        list.insertAdjacentHTML("beforeend", data.items.map(card).join(""));
        next = data.next;
        busy = false;
        if (more) { more.hidden = !next; }
      });
    }
    load().then(function () {
      if (body.dataset.more === "button" && more) {
        more.addEventListener("click", function () {
          var label = more.textContent;
          more.textContent = "Memuat...";
          setTimeout(function () { load().then(function () { more.textContent = label; }); }, 400);
        });
      } else if (body.dataset.more === "scroll" && sentinel) {
        new IntersectionObserver(function (entries) {
          if (entries[0].isIntersecting) { load(); }
        }).observe(sentinel);
      }
    });
  }
  function article(body) {
    var inline = document.getElementById("data-artikel");
    var slug = location.pathname.replace(/\/+$/, "").split("/").pop();
    var got = inline ? Promise.resolve(JSON.parse(inline.textContent))
                     : getJSON("/api/artikel/" + slug + ".json");
    var delay = Number(body.dataset.delay || 0);
    var later = function (a) {
      return new Promise(function (done) { setTimeout(function () { done(a); }, delay); });
    };
    (delay ? got.then(later) : got).then(function (a) {
      document.title = a.title + " - Warta Lembah";
      var paras = a.paragraphs.map(function (p) { return "<p>" + p + "</p>"; }).join("");
      var tags = a.tags.map(function (t) {
        return '<a rel="tag" href="' + t.url + '">' + esc(t.name) + "</a>";
      }).join(" ");
      document.getElementById("app").innerHTML =
        '<article class="post">' +
        '<div class="breadcrumbs"><a href="/">Beranda</a> <a rel="category tag" href="/kanal/daerah">' +
        esc(a.section) + "</a></div>" +
        '<h1 class="entry-title">' + esc(a.title) + "</h1>" +
        '<div class="post-meta"><span class="author-name">' + esc(a.author) + "</span> " +
        '<span class="post-date">' + esc(a.date) + "</span></div>" +
        '<figure class="wp-caption"><img src="' + a.image + '" alt="">' +
        '<figcaption class="wp-caption-text">' + esc(a.caption) + "</figcaption></figure>" +
        '<div class="entry-content">' + paras + "</div>" +
        (tags ? '<div class="post-tags">Tags: ' + tags + "</div>" : "") +
        "</article>";
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var body = document.body;
    if (body.dataset.page === "article") { article(body); }
    if (body.dataset.page === "listing") { listing(body); }
  });
})();
