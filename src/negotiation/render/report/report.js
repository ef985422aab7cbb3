/* The report's behaviour: switch views, show a move's acts on a term on hover or click, and draw
   the memo after any move.
   The move and change data are read once from the page's JSON block and looked up on demand. */
(function () {
  "use strict";

  function esc(value) {
    return String(value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function setView(root, view) {
    root.setAttribute("data-view", view);
    root.querySelectorAll("[data-view]").forEach(function (el) {
      if (el !== root) {
        el.hidden = el.getAttribute("data-view") !== view;
      }
    });
    root.querySelectorAll(".toggle button[data-show]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-show") === view));
    });
    var tip = root.querySelector(".tip");
    if (tip) {
      tip.hidden = true;
    }
    root.querySelectorAll(".detail").forEach(function (panel) {
      if (panel.refresh) {
        panel.refresh();
      }
    });
    if (root.memoRefresh) {
      root.memoRefresh();
    }
  }

  function cellAt(table, view, term, col) {
    var body = null;
    table.querySelectorAll("tbody").forEach(function (b) {
      if (b.getAttribute("data-view") === view) {
        body = b;
      }
    });
    var row = body && body.querySelector('tr[data-t="' + term + '"]');
    if (!row) {
      return null;
    }
    var at = 0;
    for (var c = row.firstElementChild; c; c = c.nextElementSibling) {
      at += c.colSpan || 1;
      if (at > col) {
        return c;
      }
    }
    return null;
  }

  function locate(table, cell, ev) {
    if (cell.tagName === "TH") {
      return { block: cell.getAttribute("data-b"), i: Number(cell.getAttribute("data-i")), term: -1 };
    }
    var row = cell.parentElement;
    if (!row.hasAttribute("data-t") || cell.classList.contains("gap") || cell.classList.contains("s-x")) {
      return null;
    }
    var col = 0;
    for (var c = row.firstElementChild; c && c !== cell; c = c.nextElementSibling) {
      col += c.colSpan || 1;
    }
    if (cell.colSpan > 1) {
      var box = cell.getBoundingClientRect();
      var step = box.width / cell.colSpan;
      col += Math.min(cell.colSpan - 1, Math.max(0, Math.floor((ev.clientX - box.left) / step)));
    }
    var head = table.tHead.rows[table.tHead.rows.length - 1];
    var th = head.cells[col];
    if (!th || !th.hasAttribute("data-i")) {
      return null;
    }
    return {
      block: th.getAttribute("data-b"),
      i: Number(th.getAttribute("data-i")),
      term: Number(row.getAttribute("data-t")),
    };
  }

  function statusOf(data, cell) {
    var m = cell.className.match(/(?:^|\s)s-(\w)(?:\s|$)/);
    if (!m) {
      return "";
    }
    var name = data.statuses[m[1].toLowerCase()] || m[1];
    var divergent = m[1] !== m[1].toLowerCase() ? ", divergent" : "";
    return '<span class="badge s-' + m[1] + '">' + esc(name + divergent) + "</span>";
  }

  function stance(data, i) {
    return i < 0 ? "—" : data.stances[i];
  }

  function actLine(act) {
    var what = "<b>" + esc(act.v) + "</b> " + (act.tn ? "<code>" + esc(act.tn) + "</code>" : "");
    if (act.m) {
      what += " move <code>" + esc(act.m) + "</code>";
    }
    if (act.e) {
      what += " (" + esc(act.e) + ")";
    }
    if (act.md) {
      what += " (" + esc(act.md) + ": not counted)";
    }
    var parts = [what];
    if (act.w) {
      parts.push("wording: " + esc(act.w));
    }
    if (act.x) {
      Object.keys(act.x).forEach(function (k) {
        parts.push(esc(k) + ": " + esc(act.x[k]));
      });
    }
    if (act.c) {
      parts.push("conditions: " + act.c.map(esc).join(", "));
    }
    var out = parts.join("; ");
    if (act.q) {
      out += "<blockquote>“" + esc(act.q) + "”</blockquote>";
      if (act.vf === true) {
        out += '<p class="hint">quotation checked against a primary text</p>';
      } else if (act.vf === false) {
        out += '<p class="warn">quotation not checked against a primary text</p>';
      } else {
        out += '<p class="hint">quotation: not said whether it was checked</p>';
      }
    }
    if (act.n) {
      out += '<p class="hint">' + esc(act.n) + "</p>";
    }
    if (act.i) {
      out += '<p class="warn">irregular: ' + esc(act.i) + "</p>";
    }
    return "<li>" + out + "</li>";
  }

  function describe(data, key, loc, cell, view) {
    var table = data.tables[key];
    var block = table.blocks[loc.block];
    var move = block.moves[loc.i];
    var seen = block.views[view] ? view : data.historian;
    var facts = block.views[seen];
    var who = view === data.historian ? "the record" : view;
    var to = move.to.length ? move.to.join(", ") : "all";
    var out = "<h3>" + esc(move.id) + "</h3>";
    out += '<p class="meta">' + esc(move.at || "date unknown") + " · " + esc(move.by) + " → " + esc(to);
    out += " · " + esc(move.ch) + "</p>";
    if (move.title) {
      out += "<p>" + esc(move.title) + "</p>";
    }
    if (facts.known.charAt(loc.i) === "0") {
      out += '<p class="warn">Not yet known to ' + esc(who) + " at this point.</p>";
    }
    var term = loc.term >= 0 ? table.terms[loc.term] : null;
    if (term !== null) {
      out += "<p><code>" + esc(term) + "</code> after this move: " + statusOf(data, cell) + "</p>";
    }
    var changes = facts.changes[loc.i].filter(function (c) {
      return term === null || c[0] === loc.term;
    });
    if (changes.length) {
      out += '<ul class="acts">';
      changes.forEach(function (c) {
        var line = esc(block.parties[c[1]]) + ": " + esc(stance(data, c[2])) + " → " + esc(stance(data, c[3]));
        if (term === null) {
          line = "<code>" + esc(table.terms[c[0]]) + "</code> " + line;
        }
        out += "<li>" + line + (c[4] ? " <i>(" + esc(c[4]) + ")</i>" : "") + "</li>";
      });
      out += "</ul>";
    }
    var acts = move.acts.filter(function (a) {
      return term === null || a.t === loc.term;
    });
    if (acts.length) {
      out += "<p><b>Acts" + (term === null ? "" : " on this term") + ":</b></p>";
      out += '<ul class="acts">' + acts.map(actLine).join("") + "</ul>";
    } else if (term !== null && !changes.length) {
      out += '<p class="hint">This move did not act on the term.</p>';
    }
    if (move.src) {
      out += '<p class="hint">Source: ' + esc(move.src) + "</p>";
    }
    return out;
  }

  /* The memo after any move: the rows each move changed are replayed up to it, then drawn as the
     page draws the memo at the end (memo.py), so both read the same. */
  function memoState(memo, view, upto) {
    var rows = {};
    (memo.views[view] || []).forEach(function (step) {
      if (step[0] >= upto) {
        return;
      }
      step[1].forEach(function (r) {
        var row = rows[r[0]] || (rows[r[0]] = { pos: {} });
        row.code = r[1];
        row.dv = r[2] === 1;
        row.differs = r[3];
        r[4].forEach(function (p) {
          if (p[1] < 0) {
            delete row.pos[p[0]];
          } else {
            row.pos[p[0]] = { s: p[1], f: p[2], tacit: p[3], md: p[4] };
          }
        });
      });
    });
    return rows;
  }

  function badge(code, text) {
    return '<span class="badge s-' + code + '">' + esc(text) + "</span>";
  }

  function positionCell(data, memo, pos, differs) {
    if (!pos) {
      return '<td class="pos none">—</td>';
    }
    var parts = [badge(memo.stanceStatus[pos.s], data.stances[pos.s])];
    if (pos.md) {
      parts.push('<span class="tacit">' + esc(pos.md) + ": not counted</span>");
    }
    if (pos.tacit.length) {
      parts.push('<span class="tacit">let ' + esc(pos.tacit.join(", ")) + " stand</span>");
    }
    var f = pos.f >= 0 ? memo.forms[pos.f] : null;
    if (f) {
      var mark = function (name) {
        return differs.indexOf(name) >= 0 ? ' class="diff"' : "";
      };
      parts.push("<p" + mark("text") + ">" + esc(f[0]) + "</p>");
      var names = Object.keys(f[1]);
      if (names.length) {
        parts.push(
          "<dl>" +
            names
              .map(function (n) {
                return "<dt" + mark(n) + ">" + esc(n) + "</dt><dd" + mark(n) + ">" + esc(f[1][n]) + "</dd>";
              })
              .join("") +
            "</dl>"
        );
      }
      var cite = f[3] ? "<cite>" + esc(f[3]) + "</cite>" : "";
      if (f[2]) {
        parts.push("<blockquote>“" + esc(f[2]) + "”" + cite + "</blockquote>");
      } else if (f[3]) {
        parts.push(cite);
      }
    }
    return '<td class="pos">' + parts.join("") + "</td>";
  }

  function memoTable(data, memo, rows) {
    var raised = [];
    var unraised = [];
    var needed = {};
    memo.terms.forEach(function (term, t) {
      var row = rows[t];
      if (!row || row.code === memo.unraisedCode) {
        unraised.push(term[0]);
        return;
      }
      raised.push(t);
      term[3].forEach(function (p) {
        needed[p] = true;
      });
    });
    var rest = unraised.length ? '<p class="unraised">Not raised: ' + esc(unraised.join(", ")) + "</p>" : "";
    if (!raised.length) {
      return '<p class="empty">No term has been raised.</p>' + rest;
    }
    var cols = [];
    memo.parties.forEach(function (name, p) {
      if (needed[p]) {
        cols.push(p);
      }
    });
    var body = raised.map(function (t) {
      var term = memo.terms[t];
      var row = rows[t];
      var assent = term[3];
      var title = term[1] ? '<div class="tt">' + esc(term[1]) + "</div>" : "";
      memo.parties.forEach(function (name, p) {
        var pos = row.pos[p];
        if (pos && assent.indexOf(p) < 0) {
          title += '<div class="obl">also ' + esc(name) + " (not counted): " + esc(data.stances[pos.s]) + "</div>";
        }
      });
      var flag = row.dv && row.code !== memo.divergentCode ? ' <span class="flag">divergent</span>' : "";
      var cells = cols.map(function (p) {
        if (assent.indexOf(p) < 0) {
          return '<td class="pos none" title="the term does not need this party\'s consent">n/a</td>';
        }
        return positionCell(data, memo, row.pos[p], row.differs);
      });
      return (
        "<tr" + (row.dv ? ' class="divergent"' : "") + '><th scope="row"><code>' + esc(term[0]) + "</code>" +
        title + '<div class="obl">obliges ' + esc(term[2].join(", ")) + "</div></th><td>" +
        badge(row.code, data.statuses[row.code]) + flag + "</td>" + cells.join("") + "</tr>"
      );
    });
    var head = cols
      .map(function (p) {
        return '<th scope="col">' + esc(memo.parties[p]) + "</th>";
      })
      .join("");
    return (
      '<table class="memo"><thead><tr><th scope="col">term</th><th scope="col">status</th>' + head +
      "</tr></thead><tbody>" + body.join("") + "</tbody></table>" + rest
    );
  }

  function memoCounts(data, memo, rows) {
    var counts = {};
    Object.keys(rows).forEach(function (t) {
      counts[rows[t].code] = (counts[rows[t].code] || 0) + 1;
    });
    var out = [];
    Object.keys(data.statuses).forEach(function (code) {
      if (counts[code] && code !== memo.unraisedCode) {
        out.push(counts[code] + " " + data.statuses[code]);
      }
    });
    return out.length ? out.join("; ") : "no term raised";
  }

  function wireMemo(root, data) {
    var memo = data.memo;
    var section = root.querySelector(".memo-section");
    var control = section && section.querySelector(".memo-control");
    if (!memo || !control) {
      return;
    }
    var slider = control.querySelector("input.memo-slider");
    var point = control.querySelector("output.memo-point");
    var heading = section.querySelector(".memo-heading");
    var n = memo.moves.length;
    var atEnd = { heading: heading.textContent, point: point.textContent, views: {} };
    section.querySelectorAll(".view[data-view]").forEach(function (v) {
      atEnd.views[v.getAttribute("data-view")] = {
        outcome: v.querySelector(".outcome").innerHTML,
        table: v.querySelector(".memo-at").innerHTML,
      };
    });

    function draw() {
      var upto = Number(slider.value);
      var view = root.getAttribute("data-view");
      var shown = section.querySelector('.view[data-view="' + view + '"]');
      var label = upto >= n ? atEnd.point : "after " + memo.moves[upto - 1];
      point.textContent = label;
      heading.textContent = label;
      section.setAttribute("data-memo-at", String(upto));
      section.querySelectorAll(".view[data-view]").forEach(function (v) {
        var kept = atEnd.views[v.getAttribute("data-view")];
        if (v !== shown || upto >= n) {
          v.querySelector(".outcome").innerHTML = kept.outcome;
          v.querySelector(".memo-at").innerHTML = kept.table;
        }
      });
      if (!shown || upto >= n) {
        return;
      }
      var rows = memoState(memo, view, upto);
      shown.querySelector(".outcome").innerHTML =
        "Terms " + esc(label) + " (" + esc(view) + "): <b>" + esc(memoCounts(data, memo, rows)) + "</b>";
      shown.querySelector(".memo-at").innerHTML = memoTable(data, memo, rows);
    }

    function go(upto) {
      slider.value = String(Math.max(1, Math.min(n, upto)));
      draw();
    }

    slider.addEventListener("input", draw);
    control.querySelectorAll("button[data-step]").forEach(function (b) {
      b.addEventListener("click", function () {
        var step = b.getAttribute("data-step");
        go(step === "end" ? n : Number(slider.value) + Number(step));
      });
    });
    root.memoRefresh = draw;
    root.memoGo = go;
    control.hidden = false;
  }

  function wire(root, data, table) {
    var key = table.getAttribute("data-table");
    var tip = root.querySelector(".tip");
    var section = table.closest("section");
    var panel = (section && section.querySelector(".detail")) || root.querySelector(".detail");
    var shown = "";

    function target(ev) {
      var cell = ev.target.closest("td, th.m");
      if (!cell || !table.contains(cell)) {
        return null;
      }
      var loc = locate(table, cell, ev);
      return loc ? { cell: cell, loc: loc } : null;
    }

    function hide() {
      tip.hidden = true;
      shown = "";
    }

    table.addEventListener("mousemove", function (ev) {
      var hit = target(ev);
      if (!hit) {
        hide();
        return;
      }
      var view = root.getAttribute("data-view");
      var id = [view, hit.loc.block, hit.loc.i, hit.loc.term].join("|");
      if (id !== shown) {
        tip.innerHTML = describe(data, key, hit.loc, hit.cell, view);
        shown = id;
      }
      tip.hidden = false;
      var x = ev.clientX + 16;
      var y = ev.clientY + 16;
      var w = tip.offsetWidth;
      var h = tip.offsetHeight;
      if (x + w > window.innerWidth - 8) {
        x = Math.max(8, ev.clientX - w - 16);
      }
      if (y + h > window.innerHeight - 8) {
        y = Math.max(8, ev.clientY - h - 16);
      }
      tip.style.left = x + "px";
      tip.style.top = y + "px";
    });
    table.addEventListener("mouseleave", hide);
    table.addEventListener("click", function (ev) {
      var hit = target(ev);
      if (!hit || !panel) {
        return;
      }
      var loc = hit.loc;
      var head = table.tHead.rows[table.tHead.rows.length - 1];
      var col = -1;
      for (var k = 0; k < head.cells.length; k++) {
        var th = head.cells[k];
        if (th.getAttribute("data-b") === loc.block && Number(th.getAttribute("data-i")) === loc.i) {
          col = k;
        }
      }
      // Kept details follow the view: the same move and term, as the new viewer saw them.
      panel.refresh = function () {
        var view = root.getAttribute("data-view");
        var cell = loc.term >= 0 ? cellAt(table, view, loc.term, col) : head.cells[col];
        panel.innerHTML = describe(data, key, loc, cell || hit.cell, view);
      };
      panel.refresh();
      if (key === "main" && root.memoGo) {
        root.memoGo(loc.i + 1); // the memo follows: the terms after the move clicked
      }
      panel.setAttribute("data-move", data.tables[key].blocks[loc.block].moves[loc.i].id);
      panel.setAttribute("data-term", loc.term >= 0 ? data.tables[key].terms[loc.term] : "");
    });
  }

  function init(root) {
    var source = root.querySelector("script.ngr-data");
    var data = source ? JSON.parse(source.textContent) : null;
    root.querySelectorAll(".toggle button[data-show]").forEach(function (b) {
      b.addEventListener("click", function () {
        setView(root, b.getAttribute("data-show"));
      });
    });
    if (data) {
      root.querySelectorAll("table.lanes").forEach(function (table) {
        wire(root, data, table);
      });
      wireMemo(root, data);
    }
    root.setAttribute("data-ngr-ready", "1");
  }

  document.querySelectorAll(".ngr:not([data-ngr-ready])").forEach(init);
})();
