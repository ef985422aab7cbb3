/* The report's behaviour: switch views, and show a move's acts on a term on hover or click.
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
    }
    root.setAttribute("data-ngr-ready", "1");
  }

  document.querySelectorAll(".ngr:not([data-ngr-ready])").forEach(init);
})();
