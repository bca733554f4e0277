// The 活動計画書 form, enhanced. Without this file every part still works through the
// buttons and the server; with it:
// - the grant estimate follows what is typed (the server computes it: salons:plan_estimate),
// - the budget totals add up while amounts are typed, and a table can grow a row,
// - only the salon part that fits the chosen 区分 is shown,
// - a double click sends the form once.
// The form comes in steps: a step's page holds only its own fields, and the estimate on
// the budget step starts from the other steps' answers the page carries
// (data-estimate-base), overridden by any of them typed on this page.
"use strict";
(() => {
  const form = document.getElementById("plan-form");
  if (!form) {
    return;
  }

  // --- send once -------------------------------------------------------------------
  let sending = false;
  form.addEventListener("submit", (event) => {
    if (sending) {
      event.preventDefault();
      return;
    }
    sending = true;
    const submitter = event.submitter;
    // Disabled only after this turn: the browser has by then put the pressed button's
    // action into what it sends (a button disabled at once would be left out).
    window.setTimeout(() => {
      form.querySelectorAll("button[type=submit]").forEach((button) => {
        button.disabled = true;
      });
      if (submitter) {
        submitter.dataset.label = submitter.textContent;
        submitter.textContent = "送信しています…";
      }
    }, 0);
  });
  // Back from the next page, the browser may show this page as it was left.
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) {
      return;
    }
    sending = false;
    form.querySelectorAll("button[type=submit]").forEach((button) => {
      button.disabled = false;
      if (button.dataset.label) {
        button.textContent = button.dataset.label;
      }
    });
  });

  // --- the estimate ------------------------------------------------------------------
  const estimateUrl = form.dataset.estimateUrl;
  const boxes = document.querySelectorAll("[data-estimate]");
  const estimateFields = [
    "kind",
    "sessions_planned",
    "expected_participants",
    "first_session_on",
    "requests_grant",
  ];
  let timer = null;
  let pending = null;

  function estimateQuery() {
    const query = new URLSearchParams(form.dataset.estimateBase || "");
    query.set("program", form.dataset.program || "");
    for (const name of ["sessions_planned", "expected_participants", "first_session_on"]) {
      const field = form.elements.namedItem(name);
      if (field && field.value) {
        query.set(name, field.value);
      }
    }
    const kind = form.querySelector('input[name="kind"]:checked');
    if (kind) {
      query.set("kind", kind.value);
    }
    const requested = form.elements.namedItem("requests_grant");
    if (requested) {
      query.set("requests_grant", requested.checked ? "1" : "0");
    }
    return query;
  }

  async function refreshEstimate() {
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    try {
      const response = await fetch(`${estimateUrl}?${estimateQuery()}`, {
        signal: pending.signal,
        credentials: "same-origin",
      });
      if (!response.ok) {
        return; // The figure stays as it was; 「助成額を計算する」 still works.
      }
      const html = await response.text();
      boxes.forEach((box) => {
        box.innerHTML = html;
      });
    } catch {
      // Aborted by a newer request, or offline: the last figure stays.
    }
  }

  function scheduleEstimate() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refreshEstimate, 500);
  }

  // --- budget totals and rows ----------------------------------------------------------
  function amountOf(text) {
    const plain = text.normalize("NFKC").replace(/[\s,円]/g, "");
    return /^[0-9]+$/.test(plain) ? Number(plain) : 0;
  }

  function updateTotals() {
    for (const side of ["income", "expense"]) {
      let total = 0;
      form.querySelectorAll(`input[name^="${side}-"][name$="-amount"]`).forEach((input) => {
        total += amountOf(input.value);
      });
      const text = `${total.toLocaleString("ja-JP")}円`;
      document
        .querySelectorAll(`[data-total="${side}"], [data-total-copy="${side}"]`)
        .forEach((element) => {
          element.textContent = text;
        });
    }
  }

  document.querySelectorAll("[data-add-row]").forEach((button) => {
    const side = button.dataset.addRow;
    const template = document.getElementById(`${side}-empty-row`);
    const rows = document.getElementById(`${side}-rows`);
    const totalForms = form.elements.namedItem(`${side}-TOTAL_FORMS`);
    const maxForms = form.elements.namedItem(`${side}-MAX_NUM_FORMS`);
    if (!template || !rows || !totalForms) {
      return;
    }
    button.hidden = false;
    // The server checks the limit too; this only stops the button early.
    const limit = Number.parseInt(maxForms ? maxForms.value : "", 10) || 20;
    button.addEventListener("click", () => {
      const index = Number.parseInt(totalForms.value, 10) || 0;
      if (index >= limit) {
        button.disabled = true;
        return;
      }
      const html = template.innerHTML
        .replaceAll("__prefix__", String(index))
        .replaceAll("__number__", String(index + 1));
      rows.insertAdjacentHTML("beforeend", html);
      totalForms.value = String(index + 1);
      const added = rows.lastElementChild;
      const first = added && added.querySelector("select, input");
      if (first) {
        first.focus();
      }
    });
  });

  // --- the salon part that fits the 区分 -------------------------------------------------
  function showKindParts() {
    const checked = form.querySelector('input[name="kind"]:checked');
    const kind = checked ? checked.value : "";
    form.querySelectorAll("[data-kind-part]").forEach((part) => {
      const forNew = part.dataset.kindPart === "new";
      // Until a 区分 is chosen, both parts stay, as they do without JavaScript.
      part.hidden = kind !== "" && forNew !== (kind === "new");
    });
  }

  form.addEventListener("input", (event) => {
    const name = event.target.name || "";
    if (estimateFields.includes(name)) {
      scheduleEstimate();
    }
    if (name.endsWith("-amount")) {
      updateTotals();
    }
  });
  form.addEventListener("change", (event) => {
    const name = event.target.name || "";
    if (estimateFields.includes(name)) {
      scheduleEstimate();
    }
    if (name === "kind") {
      showKindParts();
    }
  });
  showKindParts();
})();
