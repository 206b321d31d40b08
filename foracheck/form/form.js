// The fillable form's script (foracheck form). It reads the JSON block the page
// carries, builds every element with createElement and text nodes only (no
// innerHTML, no eval), and saves the answers as the JSON export that
// "foracheck import" reads. Its words all come from the data, in the form's language.
(() => {
  "use strict";
  const data = JSON.parse(document.getElementById("form-data").textContent);
  const words = data.words;
  const root = document.getElementById("form");
  const RESOLVED = ["done", "skip", "yes", "no"];
  const CHOICES = { task: ["done", "not-yet", "skip"], yesno: ["yes", "no"] };
  // What foracheck refuses in one line of text (safetext.py): controls, bidi
  // embeddings, overrides and isolates, lone surrogates.
  const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/u;
  const entries = [];
  const byKey = new Map();
  let who = "patient";
  let unsaved = false;
  let progressLine = null;
  let message = null;
  let firstLinks = [];
  let firstSection = null;

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === true) node.setAttribute(name, "");
      else if (value !== false && value !== null && value !== undefined) {
        node.setAttribute(name, String(value));
      }
    }
    for (const child of children) {
      if (child !== null && child !== undefined) {
        node.append(typeof child === "string" ? document.createTextNode(child) : child);
      }
    }
    return node;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (whole, name) =>
      name in values ? String(values[name]) : whole,
    );
  }

  function pad(number) {
    return String(number).padStart(2, "0");
  }

  function localDay(moment) {
    return `${moment.getFullYear()}-${pad(moment.getMonth() + 1)}-${pad(moment.getDate())}`;
  }

  // The browser's clock as RFC 3339 with its offset, as foracheck stores times.
  function stamp(moment) {
    const offset = -moment.getTimezoneOffset();
    const sign = offset >= 0 ? "+" : "-";
    const minutes = Math.abs(offset);
    const time = `${pad(moment.getHours())}:${pad(moment.getMinutes())}:${pad(moment.getSeconds())}`;
    return `${localDay(moment)}T${time}${sign}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
  }

  // "not sure", "No sé": a text answer that says the patient does not know yet is
  // stored as not-yet, folded as foracheck folds typed words (answers.is_dont_know).
  function saysDontKnow(typed) {
    const plain = typed.replace(/\u2019/g, "'").replace(/[^\p{L}\p{N}_\s-]/gu, "");
    const folded = plain.trim().toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "");
    return data.dont_know.includes(folded.split(/\s+/).filter(Boolean).join("-"));
  }

  function value(entry) {
    return entry.answer ? entry.answer.value : null;
  }

  function isResolved(entry) {
    const given = value(entry);
    if (given === null) return false;
    return entry.item.type === "text" ? given !== "not-yet" : RESOLVED.includes(given);
  }

  function tellsSurgeon(entry) {
    const given = value(entry);
    if (given === null) return false;
    if (entry.item.type === "text") return given !== "not-yet";
    return entry.item.tell !== undefined && given === entry.item.tell;
  }

  function alerting(entry) {
    return Boolean(entry.item.alert) && value(entry) === entry.item.alert.answer;
  }

  function stateOf(entry, today) {
    if (!entry.applies) return "hidden";
    if (isResolved(entry)) return "resolved";
    const span = entry.item.window;
    if (!span || !span.from) return "due";
    if (today < span.from) return "upcoming";
    if (span.until && today > span.until) {
      // Its moment passed with the surgery: never asked again (the contract's "missed").
      const surgery = data.surgery_date;
      return span.until <= surgery && surgery < today ? "missed" : "overdue";
    }
    return "due";
  }

  // -- answering ------------------------------------------------------------------

  function reasonText(entry) {
    return entry.reason ? entry.reason.value.trim() : "";
  }

  function choose(entry, given) {
    const saved = entry.saved;
    let note = saved ? saved.note : null; // kept, as the walk keeps it
    if (entry.reason && given === "skip") note = reasonText(entry) || null;
    if (given === null) {
      entry.answer = null;
    } else if (saved && saved.value === given && saved.note === note) {
      entry.answer = saved;
    } else if (entry.answer && entry.answer !== saved && entry.answer.value === given) {
      entry.answer = { ...entry.answer, note }; // only the reason changed: same moment
    } else {
      entry.answer = { value: given, at: stamp(new Date()), note, by: null };
    }
    unsaved = true;
    showProblem(entry, null);
    refresh();
  }

  function problemOf(entry) {
    const given = value(entry);
    if (given === null) return null;
    if (entry.item.type === "text" && given !== "not-yet" && UNSAFE.test(given)) {
      return [entry.text, words.unsafe];
    }
    if (entry.reason && given === "skip") {
      const reason = reasonText(entry);
      if (!reason) return [entry.reason, words.reason_missing];
      if (UNSAFE.test(reason)) return [entry.reason, words.unsafe];
    }
    return null;
  }

  function showProblem(entry, problem) {
    if (!entry.error) return;
    for (const input of entry.inputs) input.removeAttribute("aria-invalid");
    entry.error.hidden = problem === null;
    entry.error.textContent = problem === null ? "" : problem[1];
    if (problem !== null) problem[0].setAttribute("aria-invalid", "true");
  }

  // -- building the page ------------------------------------------------------------

  function choiceControls(entry, base) {
    const group = el("div", { class: "choices" });
    for (const choice of CHOICES[entry.item.type]) {
      const id = `${base}__${choice}`;
      const input = el("input", { type: "radio", name: base, id, value: choice });
      input.checked = value(entry) === choice;
      input.addEventListener("change", () => {
        if (input.checked) choose(entry, choice);
      });
      entry.inputs.push(input);
      group.append(el("label", { class: "choice", for: id }, input, el("span", {}, words[choice])));
    }
    return group;
  }

  // One line of text, as foracheck takes it (at most 500 characters), described by the
  // question's error line.
  function lineInput(id, base) {
    return el("input", {
      type: "text",
      id,
      maxlength: 500,
      autocomplete: "off",
      "aria-describedby": `${base}__error`,
    });
  }

  function textControls(entry, base) {
    const id = `${base}__text`;
    const given = value(entry);
    entry.text = lineInput(id, base);
    entry.text.value = given !== null && given !== "not-yet" ? given : "";
    const unknown = el("input", { type: "checkbox", id: `${base}__dont-know` });
    unknown.checked = given === "not-yet";
    entry.text.disabled = unknown.checked;
    entry.text.addEventListener("input", () => {
      const typed = entry.text.value.trim();
      choose(entry, !typed ? null : saysDontKnow(typed) ? "not-yet" : typed);
    });
    unknown.addEventListener("change", () => {
      entry.text.disabled = unknown.checked;
      const typed = entry.text.value.trim();
      choose(entry, unknown.checked || saysDontKnow(typed) ? "not-yet" : typed || null);
    });
    entry.inputs.push(entry.text, unknown);
    return el(
      "div",
      { class: "text-answer" },
      el("label", { for: id }, words.your_answer),
      entry.text,
      el("label", { class: "choice", for: unknown.id }, unknown, el("span", {}, words.dont_know)),
    );
  }

  function reasonControls(entry, base) {
    const id = `${base}__reason`;
    entry.reason = lineInput(id, base);
    if (entry.saved && entry.saved.value === "skip") entry.reason.value = entry.saved.note || "";
    entry.reason.addEventListener("input", () => {
      if (value(entry) === "skip") choose(entry, "skip");
    });
    entry.inputs.push(entry.reason);
    entry.reasonBox = el(
      "div",
      { class: "reason", hidden: true },
      el("label", { for: id }, words.reason),
      entry.reason,
    );
    return entry.reasonBox;
  }

  function question(list, item) {
    const base = `q__${list.id}__${item.id}`;
    const entry = { list, item, key: `${list.id} ${item.id}`, inputs: [], applies: true };
    entry.saved = item.answer || null;
    entry.answer = entry.saved;
    const legend = el("legend", {}, el("span", { class: "question-text" }, item.text));
    if (item.critical) legend.append(el("span", { class: "important" }, words.important));
    const described = [];
    const fieldset = el("fieldset", { class: "question" }, legend);
    if (item.timing) {
      described.push(`${base}__when`);
      fieldset.append(el("p", { class: "when", id: `${base}__when` }, `${words.when} ${item.timing}`));
    }
    entry.pastDue = el("p", { class: "past-due", id: `${base}__late`, hidden: true });
    described.push(`${base}__late`);
    fieldset.append(entry.pastDue);
    if (described.length) fieldset.setAttribute("aria-describedby", described.join(" "));
    fieldset.append(item.type === "text" ? textControls(entry, base) : choiceControls(entry, base));
    if (item.critical && item.type === "task") fieldset.append(reasonControls(entry, base));
    entry.error = el("p", { class: "error", id: `${base}__error`, hidden: true });
    fieldset.append(entry.error);
    if (item.alert) {
      entry.alert = el("p", { class: "alert", role: "alert", hidden: true });
      fieldset.append(entry.alert);
    }
    if (item.details) {
      fieldset.append(
        el("details", {}, el("summary", {}, words.more), el("p", { class: "details" }, item.details)),
      );
    }
    entry.node = el("div", { class: "item", id: base }, fieldset);
    entries.push(entry);
    byKey.set(entry.key, entry);
    return entry.node;
  }

  function section(list) {
    const heading = `list__${list.id}`;
    const part = el(
      "section",
      { class: "list", "aria-labelledby": heading },
      el("h2", { id: heading }, list.title),
    );
    if (list.intro) part.append(el("p", { class: "list-intro" }, list.intro));
    for (const item of list.items) part.append(question(list, item));
    return part;
  }

  // "What to do first": the steps due now, in the order foracheck's walk and status use
  // (computed by foracheck, never here); each links to its question and leaves once answered.
  function firstBox() {
    firstLinks = [];
    const list = el("ol", { class: "first-list" });
    for (const key of data.first) {
      const [listId, itemId] = key.split(" ");
      const link = el("a", { href: `#q__${listId}__${itemId}` });
      const row = el("li", {}, link);
      firstLinks.push({ key, link, row });
      list.append(row);
    }
    firstSection = el(
      "section",
      { class: "first", "aria-labelledby": "first__heading" },
      el("h2", { id: "first__heading" }, words.first),
      el("p", {}, words.first_intro),
      list,
    );
    return firstSection;
  }

  function refreshFirst() {
    let shown = 0;
    for (const { key, link, row } of firstLinks) {
      const entry = byKey.get(key);
      const open = entry !== undefined && entry.applies && !entry.node.hidden && !isResolved(entry);
      row.hidden = !open;
      if (open && link.textContent !== entry.item.text) link.textContent = entry.item.text;
      if (open) shown += 1;
    }
    firstSection.hidden = shown === 0;
  }

  function whoChoice() {
    const choices = el("div", { class: "choices" });
    const group = el("fieldset", { class: "who" }, el("legend", {}, words.who), choices);
    for (const person of ["patient", "caregiver"]) {
      const id = `who__${person}`;
      const input = el("input", { type: "radio", name: "who", id, value: person });
      input.checked = person === who;
      input.addEventListener("change", () => {
        if (!input.checked) return;
        who = person;
        if (entries.some((entry) => entry.answer && entry.answer !== entry.saved)) unsaved = true;
      });
      choices.append(el("label", { class: "choice", for: id }, input, el("span", {}, words[person])));
    }
    return group;
  }

  function build() {
    const surgery = data.surgery_text
      ? fill(words.surgery, { date: data.surgery_text })
      : words.no_surgery;
    progressLine = el("p", { class: "progress", role: "status", "aria-live": "polite" });
    root.append(
      el("h1", {}, words.title),
      el("p", { class: "intro" }, words.intro),
      el("p", { class: "reminder" }, words.reminder),
      el("p", { class: "surgery" }, surgery),
      whoChoice(),
      progressLine,
    );
    root.append(firstBox());
    for (const list of data.lists) root.append(section(list));
    const button = el("button", { type: "button", class: "save" }, words.save);
    button.addEventListener("click", save);
    message = el("p", { class: "message", role: "status", "aria-live": "polite" });
    root.append(el("div", { class: "save-area" }, button, message));
  }

  // -- what applies, and the progress ----------------------------------------------------

  function refresh() {
    const today = localDay(new Date());
    const applying = new Set();
    let answered = 0;
    let total = 0;
    for (const entry of entries) {
      const condition = entry.item.show_if;
      let applies = true;
      if (condition) {
        const parent = byKey.get(`${entry.list.id} ${condition.item}`);
        applies = parent !== undefined && applying.has(parent.key) && value(parent) === condition.answer;
      }
      entry.applies = applies;
      const missed = applies && stateOf(entry, today) === "missed";
      entry.node.hidden = !applies || missed;
      if (applies && !missed) {
        applying.add(entry.key);
        total += 1;
        if (isResolved(entry)) answered += 1;
      }
      if (entry.reasonBox) entry.reasonBox.hidden = value(entry) !== "skip";
      if (entry.alert) {
        const active = applies && alerting(entry);
        if (active !== !entry.alert.hidden) {
          entry.alert.hidden = !active;
          entry.alert.textContent = active ? entry.item.alert.text : "";
        }
      }
      // Empty when hidden: the fieldset's description reads hidden text too.
      const late = stateOf(entry, today) === "overdue";
      entry.pastDue.hidden = !late;
      entry.pastDue.textContent = late ? words.past_due : "";
    }
    const line = fill(words.progress, { answered, total });
    if (progressLine.textContent !== line) progressLine.textContent = line;
    refreshFirst();
  }

  // -- saving ---------------------------------------------------------------------------

  function exported(entry, today) {
    const answer = entry.answer;
    const applies = entry.applies;
    return {
      id: entry.item.id,
      type: entry.item.type,
      text: entry.item.base_text || entry.item.text,
      answer: answer ? answer.value : null,
      resolved: applies && isResolved(entry),
      note: answer && answer.note ? answer.note : null,
      answered_at: answer ? answer.at : null,
      answered_by: answer ? (answer === entry.saved ? answer.by : who) : null,
      tell_surgeon: tellsSurgeon(entry),
      critical: Boolean(entry.item.critical),
      window: entry.item.window || null,
      state: stateOf(entry, today),
      alert: applies && alerting(entry) ? entry.item.base_alert || entry.item.alert.text : null,
      applies,
    };
  }

  function exportDocument(moment) {
    const today = localDay(moment);
    const lists = data.lists.map((list) => ({
      id: list.id,
      title: list.base_title || list.title,
      version: list.version,
      items: entries
        .filter((entry) => entry.list === list && (entry.applies || entry.answer))
        .map((entry) => exported(entry, today)),
    }));
    return {
      format: 1,
      foracheck_version: data.version,
      exported_at: stamp(moment),
      surgery_date: data.surgery_date,
      checklists: lists.filter((list) => list.items.length > 0),
    };
  }

  function save() {
    let first = null;
    for (const entry of entries) {
      const problem = problemOf(entry);
      if (problem !== null && !entry.applies) {
        entry.answer = entry.saved; // a question no longer shown keeps what was saved
        continue;
      }
      showProblem(entry, problem);
      if (problem !== null && first === null) first = problem[0];
    }
    if (first !== null) {
      message.textContent = words.fix;
      first.focus();
      return;
    }
    const moment = new Date();
    const text = `${JSON.stringify(exportDocument(moment), null, 2)}\n`;
    const name = `foracheck-answers-${localDay(moment)}.json`;
    const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    const link = el("a", { href: url, download: name, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    unsaved = false;
    message.textContent = fill(words.saved, { file: name });
  }

  // -- the page's life -----------------------------------------------------------------

  build();
  refresh();
  window.addEventListener("beforeunload", (event) => {
    if (!unsaved) return;
    event.preventDefault();
    event.returnValue = "";
  });
  // Paper has no "More" toggle: every details text is printed.
  const closed = [];
  window.addEventListener("beforeprint", () => {
    for (const box of document.querySelectorAll("details:not([open])")) {
      closed.push(box);
      box.open = true;
    }
  });
  window.addEventListener("afterprint", () => {
    for (const box of closed.splice(0)) box.open = false;
  });
})();
