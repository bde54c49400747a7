// The query page, made comfortable: the page works without this script (a plain textarea and a
// form), and this adds syntax colouring and line numbers, Ctrl+Enter to run, the PREFIX lines of
// known prefixes on demand, an address that reproduces the query, and result tables that sort and
// page. Nothing is loaded from elsewhere and nothing runs inline (the Content-Security-Policy
// allows neither): styles are set through classes.
"use strict";

(() => {
  // Longest address sent by GET; a longer query is POSTed and kept in the address's fragment.
  const MAX_GET_URL = 6000;
  const PAGE_SIZE = 50;
  const MIN_ROWS = 8;
  const MAX_ROWS = 36;
  const KEYWORDS = new Set(
    ("select construct describe ask where from named prefix base distinct reduced as order by " +
      "asc desc limit offset group having values optional union minus graph service silent " +
      "filter bind not exists in a true false undef count sum min max avg sample group_concat " +
      "separator str lang langmatches datatype bound iri uri bnode rand abs ceil floor round " +
      "concat strlen ucase lcase encode_for_uri contains strstarts strends strbefore strafter " +
      "year month day hours minutes seconds timezone tz now uuid struuid md5 sha1 sha256 sha384 " +
      "sha512 coalesce if strlang strdt sameterm isiri isuri isblank isliteral isnumeric regex " +
      "substr replace load clear drop create add move copy insert delete data with using default all")
      .split(" ")
  );
  // One token at a time, the first alternative that matches at the position wins.
  const TOKEN = new RegExp(
    [
      "(#[^\\n]*)", // 1 comment
      "(\"\"\"[\\s\\S]*?(?:\"\"\"|$)|'''[\\s\\S]*?(?:'''|$)|\"(?:[^\"\\\\\\n]|\\\\.)*\"?|'(?:[^'\\\\\\n]|\\\\.)*'?)", // 2 string
      "(<[^<>\"{}|^`\\\\\\s]*>)", // 3 IRI
      "([?$][A-Za-z0-9_\\u00B7\\u00C0-\\uFFFF]+)", // 4 variable
      "((?:[A-Za-z\\u00C0-\\uFFFF][\\w.\\u00C0-\\uFFFF-]*)?:(?:[\\w\\u00C0-\\uFFFF%:.-]*[\\w\\u00C0-\\uFFFF%:-])?)", // 5 prefixed name
      "([+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?)", // 6 number
      "([A-Za-z_][A-Za-z_0-9]*)", // 7 word
      "([{}()\\[\\].,;*=<>!&|^+/-]+)", // 8 punctuation
      "(\\s+|.)", // 9 anything else
    ].join("|"),
    "gy"
  );
  const CLASSES = [null, "comment", "string", "iri", "variable", "pname", "number", "word", "punct"];

  function tokens(text) {
    const found = [];
    TOKEN.lastIndex = 0;
    let match;
    while (TOKEN.lastIndex < text.length && (match = TOKEN.exec(text)) !== null) {
      let kind = null;
      for (let group = 1; group < CLASSES.length; group += 1) {
        if (match[group] !== undefined) {
          kind = CLASSES[group];
          break;
        }
      }
      if (kind === "word") kind = KEYWORDS.has(match[0].toLowerCase()) ? "keyword" : null;
      found.push([kind, match[0]]);
      if (match[0].length === 0) TOKEN.lastIndex += 1;
    }
    return found;
  }

  function render(target, text) {
    const fragment = document.createDocumentFragment();
    for (const [kind, value] of tokens(text)) {
      if (kind === null) {
        fragment.append(value);
      } else {
        const span = document.createElement("span");
        span.className = "tok-" + kind;
        span.textContent = value;
        fragment.append(span);
      }
    }
    // A final newline needs a line after it, or the copy is one line short of the textarea.
    fragment.append(text.endsWith("\n") || text === "" ? " \n" : "\n");
    target.replaceChildren(fragment);
  }

  function knownPrefixes() {
    const known = new Map();
    for (const entry of document.querySelectorAll("#known-prefixes dd[data-prefix]")) {
      known.set(entry.dataset.prefix, entry.textContent.trim());
    }
    return known;
  }

  // Return the known prefixes the query uses but does not declare, and the unknown ones.
  function missingPrefixes(text, known) {
    const declared = new Set();
    const used = new Set();
    const list = tokens(text);
    for (let index = 0; index < list.length; index += 1) {
      const [kind, value] = list[index];
      if (kind === "keyword" && value.toLowerCase() === "prefix") {
        let next = index + 1;
        while (next < list.length && list[next][0] === null && !list[next][1].trim()) next += 1;
        if (next < list.length && list[next][0] === "pname") {
          declared.add(list[next][1].split(":")[0]);
          index = next;
        }
      } else if (kind === "pname") {
        used.add(value.split(":")[0]);
      }
    }
    const missing = [];
    const unknown = [];
    for (const name of used) {
      if (declared.has(name)) continue;
      (known.has(name) ? missing : unknown).push(name);
    }
    return { missing: missing.sort(), unknown: unknown.sort() };
  }

  // Insert PREFIX lines after the leading comments and the existing PREFIX/BASE lines.
  function addPrefixes(text, names, known) {
    const lines = text.split("\n");
    let at = 0;
    while (at < lines.length && /^\s*(#.*)?$/.test(lines[at]) && lines[at].trim() !== "") at += 1;
    while (at < lines.length && /^\s*(prefix|base)\b/i.test(lines[at])) at += 1;
    const added = names.map((name) => `PREFIX ${name}: <${known.get(name)}>`);
    lines.splice(at, 0, ...added);
    return lines.join("\n");
  }

  function enhanceEditor(editor, textarea) {
    const gutter = document.createElement("pre");
    gutter.className = "gutter";
    gutter.setAttribute("aria-hidden", "true");
    const surface = document.createElement("div");
    surface.className = "surface";
    const copy = document.createElement("pre");
    copy.setAttribute("aria-hidden", "true");
    const code = document.createElement("code");
    copy.append(code);
    textarea.wrap = "off";
    textarea.before(gutter);
    surface.append(copy);
    textarea.replaceWith(surface);
    surface.append(textarea);
    editor.classList.add("enhanced");

    let lines = -1;
    let pending = false;
    const sync = () => {
      copy.scrollTop = textarea.scrollTop;
      copy.scrollLeft = textarea.scrollLeft;
      gutter.scrollTop = textarea.scrollTop;
    };
    const update = () => {
      pending = false;
      render(code, textarea.value);
      const count = textarea.value.split("\n").length;
      if (count !== lines) {
        lines = count;
        // The editor grows with the query, within bounds; past them it scrolls.
        textarea.rows = Math.min(Math.max(count + 1, MIN_ROWS), MAX_ROWS);
        gutter.textContent = Array.from({ length: count }, (_, i) => String(i + 1)).join("\n") + "\n ";
      }
      sync();
    };
    textarea.addEventListener("input", () => {
      if (!pending) {
        pending = true;
        requestAnimationFrame(update);
      }
    });
    textarea.addEventListener("scroll", sync);
    update();
    return update;
  }

  function submitQuery(form, textarea) {
    const url = new URL(form.action, location.href);
    url.searchParams.set("query", textarea.value);
    if (url.href.length <= MAX_GET_URL) {
      location.assign(url.href);
      return;
    }
    // Too long for an address: POST it; the answer's address then keeps it in its fragment.
    form.method = "post";
    HTMLFormElement.prototype.submit.call(form);
  }

  function setUpQuery() {
    const form = document.getElementById("query-form");
    const textarea = document.getElementById("query");
    const editor = document.getElementById("editor");
    if (!form || !textarea || !editor) return;
    const update = enhanceEditor(editor, textarea);
    const select = document.getElementById("example");
    const load = document.getElementById("load-example");
    if (load) load.hidden = true;
    for (const keys of document.querySelectorAll(".query-tools .keys")) keys.hidden = false;

    if (select) {
      select.addEventListener("change", () => {
        const chosen = Array.from(document.querySelectorAll("template.example-text")).find(
          (template) => template.dataset.name === select.value
        );
        if (chosen) {
          textarea.value = chosen.content.textContent;
          update();
        }
      });
    }

    const known = knownPrefixes();
    const button = document.getElementById("add-prefixes");
    const status = document.getElementById("prefix-status");
    const insert = () => {
      const { missing, unknown } = missingPrefixes(textarea.value, known);
      if (missing.length) {
        textarea.value = addPrefixes(textarea.value, missing, known);
        update();
      }
      const said = [];
      const named = (names) => names.map((name) => name + ":").join(", ");
      if (missing.length) said.push(`Added the PREFIX lines of ${named(missing)}`);
      else said.push("Every known prefix the query uses is declared.");
      if (unknown.length) said.push(`Not a known prefix: ${named(unknown)} (declare it yourself).`);
      status.textContent = said.join(" ");
      status.hidden = false;
    };
    if (button) {
      button.hidden = false;
      button.addEventListener("click", insert);
    }

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submitQuery(form, textarea);
    });
    textarea.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        submitQuery(form, textarea);
      } else if (event.altKey && event.shiftKey && event.code === "KeyP") {
        event.preventDefault();
        insert();
      }
    });

    // The address reproduces the query: a POSTed answer gets it in its fragment, and a page
    // opened with one runs it.
    const answered = document.getElementById("results") || document.getElementById("error");
    const inAddress = new URLSearchParams(location.search).has("query");
    if (answered && !inAddress && !location.hash.startsWith("#query=")) {
      history.replaceState(null, "", location.pathname + "#query=" + encodeURIComponent(textarea.value));
    } else if (!answered && location.hash.startsWith("#query=")) {
      let shared = null;
      try {
        shared = decodeURIComponent(location.hash.slice("#query=".length));
      } catch (error) {
        // A damaged address: keep the page as it is.
      }
      if (shared) {
        textarea.value = shared;
        update();
        submitQuery(form, textarea);
      }
    }
  }

  function compare(a, b, numeric) {
    if (numeric) return a - b;
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
  }

  function setUpTable(table) {
    const body = table.tBodies[0];
    if (!body) return;
    const rows = Array.from(body.rows);
    let page = 0;
    const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
    const pager = document.createElement("nav");
    pager.className = "pager";
    pager.setAttribute("aria-label", "Pages of the results");
    const previous = document.createElement("button");
    previous.type = "button";
    previous.textContent = "← previous";
    const next = document.createElement("button");
    next.type = "button";
    next.textContent = "next →";
    const where = document.createElement("span");
    where.setAttribute("role", "status");
    pager.append(previous, where, next);
    if (pages > 1) table.after(pager);

    const show = () => {
      rows.forEach((row, index) => {
        row.hidden = Math.floor(index / PAGE_SIZE) !== page;
      });
      const first = page * PAGE_SIZE + 1;
      const last = Math.min(rows.length, (page + 1) * PAGE_SIZE);
      where.textContent = `rows ${first}–${last} of ${rows.length} · page ${page + 1} of ${pages}`;
      previous.disabled = page === 0;
      next.disabled = page >= pages - 1;
    };
    previous.addEventListener("click", () => {
      page = Math.max(0, page - 1);
      show();
    });
    next.addEventListener("click", () => {
      page = Math.min(pages - 1, page + 1);
      show();
    });

    const headers = Array.from(table.tHead ? table.tHead.rows[0].cells : []);
    headers.forEach((header, column) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = header.textContent;
      button.title = `Sort by ${header.textContent}`;
      header.replaceChildren(button);
      button.addEventListener("click", () => {
        const ascending = header.getAttribute("aria-sort") !== "ascending";
        for (const other of headers) other.removeAttribute("aria-sort");
        header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const values = rows.map((row) => (row.cells[column] ? row.cells[column].textContent.trim() : ""));
        const numeric = values.every((value) => value === "" || !Number.isNaN(Number(value)));
        const order = rows.map((row, index) => index);
        order.sort((a, b) => {
          // Empty cells go last either way.
          if (values[a] === "" || values[b] === "") return (values[a] === "") - (values[b] === "");
          const result = compare(numeric ? Number(values[a]) : values[a], numeric ? Number(values[b]) : values[b], numeric);
          return (ascending ? result : -result) || a - b;
        });
        const sorted = order.map((index) => rows[index]);
        rows.splice(0, rows.length, ...sorted);
        body.append(...rows);
        page = 0;
        show();
      });
    });
    show();
  }

  document.addEventListener("DOMContentLoaded", () => {
    setUpQuery();
    for (const table of document.querySelectorAll("table#result-table")) setUpTable(table);
  });
})();
