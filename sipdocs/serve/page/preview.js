// The preview page: send the case to /v1/preview, show its findings at their lines and the
// chosen copy as HTML and PDF side by side; render again when the case, the choice or (with
// --layers) a layer file changes. Everything stays between this page and its own service.
"use strict";

const $ = (id) => document.getElementById(id);
const state = {
  copies: [],
  running: false,
  again: false,
  generation: null,
  pdfUrl: null,
  typing: null,
};

function headers(extra) {
  const token = $("token").value.trim();
  const all = Object.assign({}, extra);
  if (token) all.Authorization = "Bearer " + token;
  return all;
}

function mediaType(text) {
  return /^\s*[{[]/.test(text) ? "application/json" : "application/yaml";
}

function setStatus(text, failed) {
  $("status").textContent = text;
  $("status").classList.toggle("failed", Boolean(failed));
}

// The case line by line, each finding right after the line it is about.
function showFindings(text, findings) {
  const list = $("source");
  list.replaceChildren();
  const byLine = new Map();
  for (const finding of findings) {
    if (!byLine.has(finding.line)) byLine.set(finding.line, []);
    byLine.get(finding.line).push(finding);
  }
  const lines = text.split("\n");
  const last = Math.max(lines.length, ...byLine.keys());
  for (let number = 1; number <= last; number++) {
    const line = document.createElement("li");
    line.dataset.line = String(number);
    line.textContent = lines[number - 1] ?? "";
    list.append(line);
    for (const finding of byLine.get(number) ?? []) {
      line.classList.add("flagged");
      const note = document.createElement("li");
      note.className = "finding " + finding.severity;
      note.dataset.findingLine = String(number);
      const rule = finding.rule ? `[${finding.rule}] ` : "";
      const path = finding.path ? `${finding.path}: ` : "";
      note.textContent =
        `${finding.line}:${finding.column}: ${finding.severity}: ${rule}${path}${finding.message}`;
      list.append(note);
    }
  }
  const errors = findings.filter((f) => f.severity === "error").length;
  $("summary").textContent =
    `${errors} error(s), ${findings.length - errors} warning(s)` +
    (findings.length ? "; each is shown below the line it is about." : ".");
  const first = list.querySelector("li.finding");
  if (first) first.scrollIntoView({ block: "nearest" });
}

function fill(select, values, chosen) {
  select.replaceChildren(
    ...values.map((value) => {
      const option = document.createElement("option");
      option.value = option.textContent = value;
      return option;
    }),
  );
  if (values.includes(chosen)) select.value = chosen;
}

function unique(values) {
  return [...new Set(values)];
}

function showChoice(preview) {
  state.copies = preview.copies;
  const shown = preview.shown;
  fill($("doc"), unique(preview.copies.map((c) => c.document)), shown.document);
  const recipients = preview.copies.filter((c) => c.document === shown.document);
  fill($("recipient"), unique(recipients.map((c) => c.recipient)), shown.recipient);
  fill($("lang"), preview.languages, shown.language);
  fill($("variant"), shown.own_copy ? preview.variants : ["standard"], shown.variant);
}

function showCopy(copy) {
  $("html-copy").srcdoc = copy.html;
  const bytes = Uint8Array.from(atob(copy.pdf), (c) => c.charCodeAt(0));
  if (state.pdfUrl) URL.revokeObjectURL(state.pdfUrl);
  state.pdfUrl = URL.createObjectURL(new Blob([bytes], { type: "application/pdf" }));
  $("pdf-copy").src = state.pdfUrl;
  $("pdf-copy").dataset.name = copy.name + ".pdf";
  $("warnings").replaceChildren(
    ...copy.warnings.map((text) => {
      const item = document.createElement("li");
      item.textContent = text;
      return item;
    }),
  );
}

// What to ask for: the choice on the page, where it still fits the case's copies.
function query() {
  const params = new URLSearchParams();
  const doc = $("doc").value;
  if (!doc) return params;
  params.set("doc", doc);
  const recipient = $("recipient").value;
  if (state.copies.some((c) => c.document === doc && c.recipient === recipient)) {
    params.set("recipient", recipient);
  }
  if ($("lang").value) params.set("lang", $("lang").value);
  if ($("variant").value) params.set("variant", $("variant").value);
  return params;
}

async function preview() {
  const text = $("case").value;
  if (!text.trim()) return;
  if (state.running) {
    state.again = true;
    return;
  }
  state.running = true;
  setStatus("Rendering…");
  try {
    const response = await fetch("/v1/preview?" + query(), {
      method: "POST",
      headers: headers({ "Content-Type": mediaType(text) }),
      body: text,
    });
    const answer = await response.json();
    if (response.ok) {
      showFindings(text, answer.findings);
      showChoice(answer);
      showCopy(answer.shown);
      setStatus(`Showing ${answer.shown.name} (rendered ${new Date().toLocaleTimeString()}).`);
      document.body.dataset.rendered = String(Number(document.body.dataset.rendered || 0) + 1);
    } else {
      showFindings(text, answer.findings || []);
      setStatus(`${response.status}: ${answer.detail}`, true);
    }
  } catch (error) {
    setStatus(`The service did not answer (${error.message}).`, true);
  } finally {
    state.running = false;
    if (state.again) {
      state.again = false;
      preview();
    }
  }
}

// With --layers: ask every 700 ms whether a layer file changed, and render again if so.
async function watchLayers() {
  try {
    const response = await fetch("/v1/preview/changes", { headers: headers({}) });
    if (response.ok) {
      const changes = await response.json();
      if (!changes.watching) {
        $("layers").textContent = "Layers: built in only (start with --layers DIR to watch a folder).";
        return;
      }
      if (state.generation !== null && changes.generation !== state.generation) {
        $("layers").textContent =
          `Layers: changed at ${new Date().toLocaleTimeString()}; rendering again.`;
        preview();
      } else if (state.generation === null) {
        $("layers").textContent = "Layers: watching for changes.";
      }
      state.generation = changes.generation;
    } else if (response.status === 401) {
      $("layers").textContent = "Enter the service's token.";
    }
  } catch (error) {
    $("layers").textContent = "Layers: the service did not answer.";
  }
  setTimeout(watchLayers, 700);
}

async function start() {
  $("token").value = sessionStorage.getItem("sipdocs-token") || "";
  $("token").addEventListener("change", () => {
    sessionStorage.setItem("sipdocs-token", $("token").value.trim());
    preview();
  });
  try {
    const health = await (await fetch("/healthz")).json();
    $("token-row").hidden = !health.token_required;
  } catch (error) {
    setStatus("The service did not answer.", true);
  }
  $("case").addEventListener("input", () => {
    clearTimeout(state.typing);
    state.typing = setTimeout(preview, 600);
  });
  $("render").addEventListener("click", preview);
  $("file").addEventListener("change", async () => {
    const file = $("file").files[0];
    if (!file) return;
    $("case").value = await file.text();
    preview();
  });
  for (const id of ["doc", "recipient", "lang", "variant"]) {
    $(id).addEventListener("change", preview);
  }
  $("choice").addEventListener("submit", (event) => event.preventDefault());
  watchLayers();
}

start();
