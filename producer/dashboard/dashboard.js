// The operator's dashboard. No framework, no build step: this module is served as it is.
//
// The page holds no data of its own. Everything comes from the producer's API with the token the operator
// pastes (kept in this tab's sessionStorage), so it shows exactly what the token's scopes allow. Text from
// the API is only ever set with textContent, never parsed as HTML.

const TOKEN_KEY = "commerce-sync.dashboard.token";
const DOMAIN_KEY = "commerce-sync.dashboard.domain";
// Each tick reads the recent syncs; every other tick also reads the queues or the dead letters, in turn. So an
// open page makes at most 90 requests a minute, inside the API's per-caller rate limit (100 by default).
const TICK_MS = 1000;
const SIDE_EVERY_TICKS = 2;
const HIDDEN_TICK_MS = 5000; // a tab in the background refreshes less often
const SYNC_LIMIT = 30;
const ERRORS_SHOWN = 3;
const DEAD_LETTERS_SHOWN = 200;
const TERMINAL = new Set(["completed", "failed"]);
// Steps in the order a comprehensive sync runs them (inventory waits for products and locations).
const STEP_ORDER = ["locations", "products", "customers", "inventory", "promidata"];
const stepRank = (name) => (STEP_ORDER.includes(name) ? STEP_ORDER.indexOf(name) : STEP_ORDER.length);

class ApiError extends Error {
  constructor(status, code, message, retryAfter = 0) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
  describe() {
    return this.status ? `${this.message} (${this.status} ${this.code})` : this.message;
  }
}

// ---- small helpers --------------------------------------------------------------------------------------

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);

/** An element with attributes (`class`, `data-*`, `aria-*`, …; `text` sets textContent) and children. */
function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") element.textContent = String(value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  element.append(...children.filter((child) => child !== null && child !== undefined));
  return element;
}

function show(element, visible) {
  element.hidden = !visible;
}

function clockTime(iso) {
  return iso ? new Date(iso).toLocaleTimeString([], { hour12: false }) : "";
}

function duration(milliseconds) {
  const seconds = Math.max(0, Math.round(milliseconds / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function shortId(id) {
  return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}

/** The token's claims, for display only (the API checks the signature; the page cannot and need not). */
function claimsOf(token) {
  try {
    const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const claims = JSON.parse(atob(payload.padEnd(payload.length + ((4 - (payload.length % 4)) % 4), "=")));
    return typeof claims === "object" && claims !== null ? claims : null;
  } catch {
    return null;
  }
}

// ---- the API --------------------------------------------------------------------------------------------

async function api(method, path, body) {
  const headers = { Accept: "application/json", Authorization: `Bearer ${state.token}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
      credentials: "omit",
    });
  } catch {
    throw new ApiError(0, "unreachable", "The producer's API does not answer; retrying.");
  }
  let payload = null;
  try {
    payload = await response.json();
  } catch {
    payload = null;
  }
  if (!response.ok) {
    const error = (payload && payload.error) || {};
    const retryAfter = Number(response.headers.get("Retry-After")) || 0;
    throw new ApiError(response.status, error.code || "http_error", error.message || response.statusText, retryAfter);
  }
  return payload;
}

// ---- state ----------------------------------------------------------------------------------------------

const state = {
  token: null,
  claims: null,
  generation: 0, // bumped when the token changes, so answers meant for an old token are dropped
  tick: 0,
  sideTurn: "queues", // which of queues and dead letters the next side tick reads
  timer: null,
  pausedUntil: 0,
  lastUpdated: null,
  syncs: [],
  deadDomain: sessionStorage.getItem(DOMAIN_KEY) || "",
  deadLetters: [],
  errors: new Map(), // source → message shown in the alert area
  replaying: false,
};

function setError(source, message) {
  if (message) state.errors.set(source, message);
  else state.errors.delete(source);
  const area = $("api-error");
  area.replaceChildren(...[...state.errors.values()].map((text) => h("p", { text })));
  show(area, state.errors.size > 0);
}

function notice(text) {
  const element = $("notice");
  element.textContent = text || "";
  show(element, Boolean(text));
}

const SOURCE_NAMES = { syncs: "Recent syncs", queues: "Queues", deadLetters: "Dead letters", replay: "Replay" };

/** Every API failure ends here: shown in the page, never thrown further. */
function failed(source, error, generation) {
  if (generation !== state.generation) return;
  if (!(error instanceof ApiError)) error = new ApiError(0, "client_error", String(error));
  if (error.status === 401) {
    const message = `The API refused this token: ${error.describe()}. Paste a new token.`;
    forgetToken({ keepErrors: true });
    setError("auth", message);
    return;
  }
  if (error.status === 429) {
    const seconds = Math.max(error.retryAfter, 2);
    state.pausedUntil = Date.now() + seconds * 1000;
    setError("rate", `The API's rate limit for this token is reached; refreshing again in ${seconds} s.`);
    return;
  }
  if (source === "deadLetters" || (source === "replay" && error.status === 403)) {
    const area = $("dead-letters-error");
    area.textContent =
      error.status === 403 ? `This token may not see this tenant: ${error.describe()}` : error.describe();
    show(area, true);
    if (source === "deadLetters") renderDeadLetters(null);
    return;
  }
  setError(source, `${SOURCE_NAMES[source] || source}: ${error.describe()}`);
}

function succeeded(source) {
  setError(source, null);
  setError("rate", null);
  if (source === "deadLetters") show($("dead-letters-error"), false);
}

// ---- loading --------------------------------------------------------------------------------------------

async function load(source, request, apply) {
  const generation = state.generation;
  try {
    const answer = await request();
    if (generation !== state.generation) return;
    apply(answer);
    succeeded(source);
    state.lastUpdated = new Date();
  } catch (error) {
    failed(source, error, generation);
  }
}

let syncStatesKey = "";

const loadSyncs = () =>
  load(
    "syncs",
    () => api("GET", `/api/v2/syncs?limit=${SYNC_LIMIT}`),
    (answer) => {
      state.syncs = answer.items;
      renderSyncs();
      renderDomainChoices();
      // A sync appeared or ended (rare): the queue counts changed with it, so read them now, not in turn.
      const key = state.syncs.map((sync) => `${sync.syncId}:${TERMINAL.has(sync.state)}`).join(",");
      if (syncStatesKey && key !== syncStatesKey) loadQueues();
      syncStatesKey = key;
    },
  );

function loadQueues() {
  return load(
    "queues",
    () => api("GET", "/api/v2/queues"),
    (answer) => renderQueues(answer.queues),
  );
}

/** The side request of a tick: the queues and the dead letters (when a tenant is chosen) take turns. */
function loadSide() {
  const queues = state.sideTurn === "queues" || !state.deadDomain;
  state.sideTurn = queues ? "deadLetters" : "queues";
  return queues ? loadQueues() : loadDeadLetters();
}

function loadDeadLetters() {
  const domain = state.deadDomain;
  if (!domain) {
    renderDeadLetters([]);
    return Promise.resolve();
  }
  const path = `/api/v2/dead-letters?domain=${encodeURIComponent(domain)}`;
  return load(
    "deadLetters",
    () => api("GET", path),
    (answer) => {
      if (domain === state.deadDomain) renderDeadLetters(answer.items);
    },
  );
}

/** Everything at once: on a new token, after a replay, when the tab comes back. */
async function refresh() {
  await Promise.all([loadSyncs(), loadQueues(), loadDeadLetters()]);
  renderSession();
}

function schedule() {
  clearTimeout(state.timer);
  if (!state.token) return;
  const generation = state.generation;
  state.timer = setTimeout(
    async () => {
      if (generation !== state.generation) return;
      if (Date.now() >= state.pausedUntil) {
        state.tick += 1;
        const work = [loadSyncs()];
        if (state.tick % SIDE_EVERY_TICKS === 0) work.push(loadSide());
        await Promise.all(work);
        renderSession();
      }
      if (generation === state.generation) schedule();
    },
    document.hidden ? HIDDEN_TICK_MS : TICK_MS,
  );
}

// ---- the token ------------------------------------------------------------------------------------------

function useToken(token) {
  state.token = token;
  state.claims = claimsOf(token);
  state.generation += 1;
  state.pausedUntil = 0;
  sessionStorage.setItem(TOKEN_KEY, token);
  for (const source of [...state.errors.keys()]) setError(source, null);
  notice("");
  show($("token-panel"), false);
  show($("session"), true);
  show($("data"), true);
  renderSession();
  refresh().then(schedule);
}

function forgetToken({ keepErrors = false } = {}) {
  state.token = null;
  state.claims = null;
  state.generation += 1;
  clearTimeout(state.timer);
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(DOMAIN_KEY);
  state.deadDomain = "";
  syncStatesKey = "";
  if (!keepErrors) for (const source of [...state.errors.keys()]) setError(source, null);
  notice("");
  // Nothing the old token could see stays on the page.
  state.syncs = [];
  renderSyncs();
  renderQueues({});
  renderDeadLetters([]);
  show($("data"), false);
  show($("session"), false);
  show($("token-panel"), true);
  $("token-input").value = "";
  $("token-input").focus();
}

// ---- rendering: session ---------------------------------------------------------------------------------

function renderSession() {
  const claims = state.claims;
  let text = "Token";
  if (claims) {
    const domains = Array.isArray(claims.domains) ? claims.domains.join(", ") : "?";
    text = `${claims.sub ?? "?"} · domains ${domains}`;
    if (typeof claims.exp === "number") {
      const left = claims.exp * 1000 - Date.now();
      text += left > 0 ? ` · expires in ${duration(left)}` : " · expired";
    }
  }
  $("session-info").textContent = text;
  $("last-updated").textContent = state.lastUpdated ? `updated ${clockTime(state.lastUpdated.toISOString())}` : "";
}

// ---- rendering: syncs -----------------------------------------------------------------------------------

const syncCards = new Map(); // syncId → {card, steps: Map(step → refs), …}
const expanded = new Set(); // older syncs the operator opened (a tenant's newest sync is always open)
const tenantGroups = new Map(); // domain → {element, list}

function stepFigures(step) {
  const { succeeded, failed, pending } = step.progress;
  const planned = step.planned.creates + step.planned.updates + step.planned.archives;
  const ended = succeeded + failed;
  const total = Math.max(planned, ended + pending);
  let percent;
  if (total === 0) percent = TERMINAL.has(step.state) ? 100 : 0;
  else percent = Math.floor((ended * 100) / total);
  return { succeeded, failed, pending, planned, ended, total, percent };
}

function progressBar(label) {
  const ok = h("span", { class: "bar-ok" });
  const bad = h("span", { class: "bar-failed" });
  const bar = h(
    "div",
    { class: "bar", role: "progressbar", "aria-label": label, "aria-valuemin": 0, "aria-valuemax": 100 },
    ok,
    bad,
  );
  return { bar, ok, bad };
}

function updateBar(refs, figures) {
  const { bar, ok, bad } = refs;
  bar.setAttribute("aria-valuenow", String(figures.percent));
  const failedText = figures.failed ? `, ${figures.failed} failed` : "";
  bar.setAttribute("aria-valuetext", `${figures.ended} of ${figures.total} ended${failedText}`);
  const scale = figures.total ? 100 / figures.total : 0;
  ok.style.width = figures.total ? `${figures.succeeded * scale}%` : `${figures.percent}%`;
  bad.style.width = `${figures.failed * scale}%`;
}

function badge(stateName, testid) {
  return h("span", { class: `badge state-${stateName}`, "data-testid": testid, text: stateName });
}

function createSyncCard(sync) {
  const stateBadge = badge(sync.state, "sync-state");
  const timing = h("span", { class: "muted timing" });
  const total = progressBar(`sync ${sync.syncId}: mutations ended`);
  total.bar.classList.add("bar-total");
  total.bar.dataset.testid = "sync-progress";
  const totalText = h("span", { class: "muted total-text" });
  const rows = h("tbody");
  const steps = new Map();
  const names = Object.keys(sync.steps).sort((a, b) => stepRank(a) - stepRank(b) || a.localeCompare(b));
  for (const name of names) {
    const stepBadge = badge(sync.steps[name].state, "step-state");
    const bar = progressBar(`${name}: mutations ended`);
    bar.bar.dataset.testid = "step-progress";
    const counts = h("span", { class: "counts", "data-testid": "step-counts" });
    const planned = h("span", { class: "muted planned" });
    const row = h(
      "tr",
      { "data-testid": "step", "data-step": name },
      h("th", { scope: "row", text: name }),
      h("td", {}, stepBadge),
      h("td", { class: "bar-cell" }, bar.bar),
      h("td", {}, counts, planned),
    );
    rows.append(row);
    steps.set(name, { row, stepBadge, bar, counts, planned });
  }
  const errors = h("ul", { class: "errors", "data-testid": "sync-errors" });
  const more = h("p", { class: "muted more-errors" });
  const details = h("div", { class: "sync-details", id: `sync-details-${sync.syncId}` });
  const toggle = h("button", {
    type: "button",
    class: "small secondary toggle",
    "aria-controls": details.id,
    "data-testid": "sync-toggle",
  });
  toggle.addEventListener("click", () => {
    if (expanded.has(sync.syncId)) expanded.delete(sync.syncId);
    else expanded.add(sync.syncId);
    renderSyncs();
  });
  const card = h(
    "article",
    { class: "sync", "data-testid": "sync", "data-sync-id": sync.syncId, "aria-label": `sync ${sync.syncId}` },
    h(
      "header",
      { class: "sync-head" },
      stateBadge,
      h("span", { class: "kind", text: sync.kind }),
      sync.dryRun ? h("span", { class: "tag", text: "dry run" }) : null,
      h("code", { class: "sync-id", title: sync.syncId, text: shortId(sync.syncId) }),
      timing,
      toggle,
    ),
    h("div", { class: "total" }, total.bar, totalText),
    details,
  );
  details.append(
    h(
      "table",
      { class: "steps" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col", text: "Step" }),
          h("th", { scope: "col", text: "State" }),
          h("th", { scope: "col", text: "Progress" }),
          h("th", { scope: "col", text: "Mutations" }),
        ),
      ),
      rows,
    ),
    errors,
    more,
  );
  return { card, stateBadge, timing, total, totalText, steps, errors, more, details, toggle, errorsKey: "" };
}

function setBadge(element, stateName) {
  element.textContent = stateName;
  element.className = `badge state-${stateName}`;
}

function updateSyncCard(refs, sync) {
  refs.card.dataset.state = sync.state;
  setBadge(refs.stateBadge, sync.state);
  const started = clockTime(sync.createdAt);
  const end = sync.finishedAt ? new Date(sync.finishedAt) : new Date();
  const took = duration(end - new Date(sync.createdAt));
  refs.timing.textContent = sync.finishedAt ? `${started} · took ${took}` : `${started} · ${took} so far`;

  const total = stepFigures({ ...sync.totals, state: sync.state });
  updateBar(refs.total, total);
  refs.totalText.textContent = `${total.ended} / ${total.total}`;

  for (const [name, step] of Object.entries(sync.steps)) {
    const stepRefs = refs.steps.get(name);
    if (!stepRefs) continue;
    const figures = stepFigures(step);
    Object.assign(stepRefs.row.dataset, {
      state: step.state,
      succeeded: figures.succeeded,
      failed: figures.failed,
      pending: figures.pending,
    });
    setBadge(stepRefs.stepBadge, step.state);
    updateBar(stepRefs.bar, figures);
    const parts = [`${figures.succeeded} ok`];
    if (figures.failed) parts.push(`${figures.failed} failed`);
    if (figures.pending) parts.push(`${figures.pending} pending`);
    if (figures.total === 0) parts.splice(0, parts.length, TERMINAL.has(step.state) ? "nothing to change" : "–");
    stepRefs.counts.textContent = parts.join(" · ");
    stepRefs.counts.classList.toggle("has-failed", figures.failed > 0);
    const { creates, updates, archives } = step.planned;
    const planned = [`${creates} new`, `${updates} upd`, `${archives} arch`];
    if (step.skipped) planned.push(`${step.skipped} skipped`);
    stepRefs.planned.textContent = `planned ${planned.join(" · ")}`;
  }

  const key = JSON.stringify(sync.errors.slice(0, ERRORS_SHOWN)) + sync.errors.length;
  if (key !== refs.errorsKey) {
    refs.errorsKey = key;
    refs.errors.replaceChildren(
      ...sync.errors.slice(0, ERRORS_SHOWN).map((error) => {
        const what = [error.errorClass || error.kind, error.step, error.entity].filter(Boolean).join(" · ");
        const message = error.message || JSON.stringify(error);
        return h(
          "li",
          { title: message },
          h("span", { class: "error-kind", text: what }),
          h("span", { text: message }),
        );
      }),
    );
    const hidden = sync.errors.length - ERRORS_SHOWN;
    refs.more.textContent = hidden > 0 ? `and ${hidden} more error${hidden === 1 ? "" : "s"}` : "";
    show(refs.more, hidden > 0);
    show(refs.errors, sync.errors.length > 0);
  }
}

function tenantGroup(domain) {
  let group = tenantGroups.get(domain);
  if (!group) {
    const list = h("div", { class: "tenant-syncs" });
    const element = h(
      "section",
      { class: "tenant", "data-testid": "tenant", "data-domain": domain, "aria-label": `tenant ${domain}` },
      h("h3", { text: domain }),
      list,
    );
    group = { element, list };
    tenantGroups.set(domain, group);
  }
  return group;
}

function renderSyncs() {
  const container = $("syncs");
  const seen = new Set();
  const domains = [];
  for (const sync of state.syncs) {
    seen.add(sync.syncId);
    let refs = syncCards.get(sync.syncId);
    if (!refs) {
      refs = createSyncCard(sync);
      syncCards.set(sync.syncId, refs);
    }
    updateSyncCard(refs, sync);
    const group = tenantGroup(sync.domain);
    const newest = !domains.includes(sync.domain);
    if (newest) {
      domains.push(sync.domain);
      group.list.replaceChildren();
    }
    // A tenant's newest sync shows its steps; older ones are one line each until the operator opens them.
    const open = newest || expanded.has(sync.syncId);
    refs.card.classList.toggle("compact", !open);
    show(refs.details, open);
    show(refs.toggle, !newest);
    refs.toggle.textContent = open ? "Hide steps" : "Steps";
    refs.toggle.setAttribute("aria-expanded", String(open));
    group.list.append(refs.card); // newest first within a tenant, as the API lists them
  }
  for (const id of [...syncCards.keys()]) {
    if (!seen.has(id)) {
      syncCards.delete(id);
      expanded.delete(id);
    }
  }
  for (const domain of [...tenantGroups.keys()]) if (!domains.includes(domain)) tenantGroups.delete(domain);
  const groups = domains.map((domain) => tenantGroups.get(domain).element);
  if (groups.length === 0) groups.push(h("p", { class: "empty", text: "No syncs yet for this token's tenants." }));
  container.replaceChildren(...groups);
  const running = state.syncs.filter((sync) => !TERMINAL.has(sync.state)).length;
  $("syncs-count").textContent = state.syncs.length ? `${state.syncs.length} shown · ${running} running` : "";
}

// ---- rendering: queues ----------------------------------------------------------------------------------

const QUEUE_COLUMNS = ["queued", "inProgress", "retrying", "deadLettered", "done"];

function renderQueues(queues) {
  const body = $("queues-table").tBodies[0];
  const rows = Object.entries(queues)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, counts]) =>
      h(
        "tr",
        { "data-testid": "queue", "data-queue": name },
        h("th", { scope: "row", text: name.replace(/-mutations$/, ""), title: name }),
        ...QUEUE_COLUMNS.map((column) =>
          h("td", {
            "data-column": column,
            class: counts[column] && column === "deadLettered" ? "alarm" : counts[column] ? "" : "zero",
            text: counts[column] ?? 0,
          }),
        ),
      ),
    );
  body.replaceChildren(...rows);
}

// ---- rendering: dead letters ----------------------------------------------------------------------------

function renderDomainChoices() {
  const select = $("dead-letter-domain");
  const domains = new Set(state.syncs.map((sync) => sync.domain));
  if (state.claims && Array.isArray(state.claims.domains)) {
    for (const domain of state.claims.domains) if (domain !== "*") domains.add(domain);
  }
  if (state.deadDomain) domains.add(state.deadDomain);
  const wanted = [...domains].sort();
  const current = [...select.options].slice(1).map((option) => option.value);
  if (JSON.stringify(current) === JSON.stringify(wanted)) return;
  select.replaceChildren(
    h("option", { value: "", text: "Choose a tenant…" }),
    ...wanted.map((domain) => h("option", { value: domain, text: domain })),
  );
  select.value = state.deadDomain;
}

let deadLettersKey = "";

/** The chosen tenant's dead letters; `null` while they are not known (loading, or the API refused). */
function renderDeadLetters(items, placeholder = "") {
  state.deadLetters = items || [];
  const key = items === null ? `?${placeholder}` : items.map((item) => item.id).join("\n") + "|" + state.deadDomain;
  $("replay-all").disabled = !items || items.length === 0 || state.replaying;
  $("dead-letters-count").textContent = state.deadDomain && items ? `${items.length} for ${state.deadDomain}` : "";
  if (key === deadLettersKey) return;
  deadLettersKey = key;
  const list = $("dead-letters");
  if (!state.deadDomain || items === null) {
    const text = state.deadDomain ? placeholder : "Choose a tenant to see its dead letters.";
    list.replaceChildren(...(text ? [h("li", { class: "empty", text })] : []));
    return;
  }
  if (items.length === 0) {
    list.replaceChildren(h("li", { class: "empty", "data-testid": "no-dead-letters", text: "No dead letters." }));
    return;
  }
  const shown = items.slice(0, DEAD_LETTERS_SHOWN).map((item) => {
    const replayButton = h("button", {
      type: "button",
      class: "small",
      "data-testid": "replay",
      "aria-label": `Replay dead letter ${item.id}`,
      text: "Replay",
    });
    replayButton.addEventListener("click", () => replay([item.id], replayButton));
    return h(
      "li",
      { class: "dead-letter", "data-testid": "dead-letter", "data-id": item.id, "data-error-class": item.errorClass },
      h(
        "div",
        { class: "dead-head" },
        h("span", { class: "badge state-failed", "data-testid": "error-class", text: item.errorClass || "unknown" }),
        h("span", { class: "muted", text: item.queue.replace(/-mutations$/, "") }),
        h("span", { class: "muted", text: `${item.attempts} attempt${item.attempts === 1 ? "" : "s"}` }),
        h("span", { class: "muted", text: clockTime(item.failedAt) }),
        replayButton,
      ),
      h("p", { class: "dead-message", "data-testid": "dead-message", text: item.message || "(no message)" }),
      h(
        "p",
        { class: "muted dead-ids" },
        "job ",
        h("code", { text: item.id }),
        " · sync ",
        h("code", { title: item.syncId, text: shortId(item.syncId) }),
      ),
    );
  });
  if (items.length > DEAD_LETTERS_SHOWN) {
    shown.push(
      h("li", { class: "empty", text: `and ${items.length - DEAD_LETTERS_SHOWN} more (Replay all takes them too)` }),
    );
  }
  list.replaceChildren(...shown);
}

async function replay(ids, button) {
  const domain = state.deadDomain;
  if (!domain || state.replaying) return;
  if (ids === null && !window.confirm(`Replay all ${state.deadLetters.length} dead letters of ${domain}?`)) return;
  state.replaying = true;
  const buttons = [$("replay-all"), ...document.querySelectorAll('[data-testid="replay"]')];
  for (const element of buttons) element.disabled = true;
  if (button) button.textContent = "Replaying…";
  const generation = state.generation;
  try {
    const answer = await api(
      "POST",
      "/api/v2/dead-letters/replay",
      ids === null ? { domain, all: true } : { domain, ids },
    );
    succeeded("replay");
    const n = answer.replayed;
    notice(`Replayed ${n} dead letter${n === 1 ? "" : "s"} of ${domain}; they count again in their sync.`);
  } catch (error) {
    failed("replay", error, generation);
    if (button) button.textContent = "Replay";
  } finally {
    state.replaying = false;
    for (const element of buttons) element.disabled = false;
  }
  if (generation === state.generation) await refresh();
}

// ---- wiring ---------------------------------------------------------------------------------------------

function start() {
  $("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const pasted = $("token-input").value.trim();
    const token = pasted.replace(/^Bearer\s+/i, "");
    if (token) useToken(token);
  });
  $("forget-token").addEventListener("click", () => forgetToken());
  $("dead-letter-domain").addEventListener("change", (event) => {
    state.deadDomain = event.target.value;
    sessionStorage.setItem(DOMAIN_KEY, state.deadDomain);
    show($("dead-letters-error"), false);
    renderDeadLetters(null, "Loading…");
    loadDeadLetters();
  });
  $("replay-all").addEventListener("click", () => replay(null, null));
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && state.token) refresh().then(schedule);
  });

  renderDeadLetters([]);
  const saved = sessionStorage.getItem(TOKEN_KEY);
  if (saved) useToken(saved);
  else forgetToken();
}

start();
