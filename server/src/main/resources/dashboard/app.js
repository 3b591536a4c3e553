// Ability Store dashboard: plain JavaScript, no dependencies, same-origin JSON API.
'use strict';

(() => {
  const KEY_STORAGE = 'abilitystore.apiKey';
  const STATS_EVERY_MS = 5000;
  const SERVICES_EVERY_MS = 30000;

  const $ = (id) => document.getElementById(id);
  const numbers = new Intl.NumberFormat();
  const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

  const state = {
    locked: false,
    statsTimer: 0,
    statsInFlight: false,
    statsAgain: false,
    lastServicesAt: 0,
    lastPrimaryCount: null,
    serviceNames: [],
    usage: null,
    usageOrder: 'total',
    searchSeq: 0,
    pendingSearch: false,
    noticeSource: null,
  };

  // ---------- small helpers ----------

  /** Creates an element; text is always set as text, never parsed as HTML. */
  function h(tag, props, ...children) {
    const el = document.createElement(tag);
    if (props) {
      for (const [name, value] of Object.entries(props)) {
        if (value === null || value === undefined || value === false) continue;
        if (name === 'class') el.className = value;
        else if (name === 'text') el.textContent = value;
        else if (name === 'dataset') Object.assign(el.dataset, value);
        else if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
        else el.setAttribute(name, value === true ? '' : String(value));
      }
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : String(child));
    }
    return el;
  }

  const isNum = (n) => typeof n === 'number' && Number.isFinite(n);
  const fmt = (n) => (isNum(n) ? numbers.format(n) : '—');
  const plural = (n, one, many) => `${fmt(n)} ${n === 1 ? one : many}`;

  function duration(ms) {
    if (!isNum(ms)) return '—';
    if (ms < 1000) return `${Math.round(ms)} ms`;
    const s = ms / 1000;
    if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
    const m = Math.floor(s / 60);
    if (m < 60) return `${m} min ${Math.round(s - m * 60)} s`;
    const hrs = Math.floor(m / 60);
    if (hrs < 48) return `${hrs} h ${m - hrs * 60} min`;
    return `${Math.floor(hrs / 24)} days`;
  }

  function parseTime(value) {
    if (value === null || value === undefined) return null;
    const t = typeof value === 'number' ? value : Date.parse(value);
    return Number.isFinite(t) ? t : null;
  }

  function ago(value) {
    const t = parseTime(value);
    if (t === null) return '—';
    const seconds = Math.round((t - Date.now()) / 1000);
    const abs = Math.abs(seconds);
    if (abs < 45) return 'just now';
    if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
    if (abs < 86400) return relative.format(Math.round(seconds / 3600), 'hour');
    return relative.format(Math.round(seconds / 86400), 'day');
  }

  function absolute(value) {
    const t = parseTime(value);
    return t === null ? '' : dateTime.format(new Date(t));
  }

  function setText(id, text) {
    const el = $(id);
    if (el.textContent !== text) el.textContent = text;
  }

  function setStatus(id, key, text) {
    const el = $(id);
    el.dataset.status = key;
    el.textContent = text;
  }

  function facts(id, rows) {
    const dl = $(id);
    dl.replaceChildren(...rows.flatMap(([term, value, cls, title]) => {
      if (term === null) return [h('dd', { class: cls || 'error', text: value })];
      return [h('dt', { text: term }), h('dd', { class: cls, title, text: value })];
    }));
  }

  // ---------- the API ----------

  class ApiError extends Error {
    constructor(status, title, detail, errors) {
      super(detail);
      this.status = status;
      this.title = title;
      this.detail = detail;
      this.errors = errors || [];
    }

    get auth() {
      return this.status === 401 || this.status === 403;
    }
  }

  function storedKey() {
    try {
      return sessionStorage.getItem(KEY_STORAGE);
    } catch (e) {
      return null;
    }
  }

  function storeKey(key) {
    try {
      if (key) sessionStorage.setItem(KEY_STORAGE, key);
      else sessionStorage.removeItem(KEY_STORAGE);
    } catch (e) {
      // storage blocked: the key lives as long as the page does
    }
    memoryKey = key || null;
    $('forget-key').hidden = !key;
  }

  let memoryKey = storedKey();

  async function api(path, options = {}) {
    const headers = { Accept: 'application/json, application/problem+json' };
    const init = { method: options.method || 'GET', headers, cache: 'no-store', credentials: 'same-origin' };
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(options.body);
    }
    const key = memoryKey;
    if (key) headers.Authorization = `Bearer ${key}`;

    let response;
    try {
      response = await fetch(new URL(path, document.baseURI), init);
    } catch (e) {
      throw new ApiError(0, 'The server did not answer', 'Check that it is running; retrying.');
    }
    const text = await response.text();
    let body = null;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch (e) {
        body = null;
      }
    }
    if (!response.ok) {
      const problem = body && typeof body === 'object' ? body : {};
      const title = typeof problem.title === 'string' ? problem.title : (response.statusText || 'Request failed');
      const detail = typeof problem.detail === 'string' && problem.detail
        ? problem.detail
        : `The server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`;
      const error = new ApiError(response.status, title, detail, Array.isArray(problem.errors) ? problem.errors : []);
      if (error.auth) askForKey(error, key);
      throw error;
    }
    if (body === null || typeof body !== 'object') {
      throw new ApiError(response.status, 'Unexpected answer', 'The server answered with something that is not JSON.');
    }
    return body;
  }

  /** "the key is not valid" becomes "The key is not valid." */
  function sentence(text) {
    const t = String(text || '').trim();
    if (!t) return '';
    const capital = t.charAt(0).toUpperCase() + t.slice(1);
    return /[.!?]$/.test(capital) ? capital : `${capital}.`;
  }

  /** The problem's detail as a sentence, followed by what it says about each field. */
  function describe(error) {
    const fields = (error.errors || [])
      .filter((e) => e && (e.field || e.message))
      .map((e) => (e.field ? `${e.field}: ${e.message || 'invalid'}` : e.message));
    const detail = sentence(error.detail);
    return fields.length ? `${detail} (${fields.join('; ')})` : detail;
  }

  // ---------- notices and the live indicator ----------

  function showNotice(source, title, detail) {
    state.noticeSource = source;
    setText('notice-title', title);
    setText('notice-detail', detail);
    $('notice').hidden = false;
  }

  function clearNotice(source) {
    if (source && state.noticeSource !== source) return;
    state.noticeSource = null;
    $('notice').hidden = true;
  }

  function live(kind, text) {
    $('live').dataset.state = kind;
    setText('live-text', text);
  }

  // ---------- API key ----------

  function askForKey(error, keyUsed) {
    if (memoryKey && keyUsed !== memoryKey) return; // an answer to a request sent before the current key
    const wasLocked = state.locked;
    state.locked = true;
    clearTimeout(state.statsTimer);
    const message = keyUsed
      ? `That key was not accepted. ${sentence(error.detail)} Enter another one.`
      : 'This server asks for an API key before it answers. Enter one to see the dashboard.';
    if (keyUsed && keyUsed === memoryKey) storeKey(null);
    setText('auth-message', message);
    $('auth').hidden = false;
    document.body.dataset.locked = 'true';
    live('locked', 'API key needed');
    for (const id of ['services-summary', 'usage-summary']) {
      if ($(id).textContent === 'Loading…') setText(id, 'Waiting for the API key.');
    }
    clearNotice();
    if (!wasLocked) {
      const input = $('api-key');
      input.value = '';
      input.focus();
    }
  }

  function unlock(key) {
    storeKey(key);
    state.locked = false;
    $('auth').hidden = true;
    delete document.body.dataset.locked;
    setText('auth-error', '');
    live('loading', 'Connecting…');
    state.lastServicesAt = 0; // the services follow the first stats that answer
    refreshStats();
    if (state.pendingSearch) runSearch();
  }

  // ---------- stats ----------

  function scheduleStats() {
    clearTimeout(state.statsTimer);
    if (!state.locked && document.visibilityState !== 'hidden') {
      state.statsTimer = setTimeout(refreshStats, STATS_EVERY_MS);
    }
  }

  async function refreshStats() {
    clearTimeout(state.statsTimer);
    if (state.statsInFlight) {
      state.statsAgain = true; // what is in flight may predate what the caller wants to see
      return;
    }
    state.statsInFlight = true;
    state.statsAgain = false;
    try {
      const stats = await api('v1/stats');
      renderStats(stats);
      clearNotice('stats');
      live('ok', `Live · updated ${clock.format(new Date())}`);
      const count = stats.primary && stats.primary.count;
      if (count !== state.lastPrimaryCount || Date.now() - state.lastServicesAt > SERVICES_EVERY_MS) {
        state.lastPrimaryCount = count;
        refreshServices();
      }
    } catch (error) {
      if (!error.auth) {
        live('error', 'Not updating');
        showNotice('stats', 'Could not load the statistics.', describe(error));
      }
    } finally {
      state.statsInFlight = false;
      if (state.statsAgain && !state.locked) refreshStats();
      else scheduleStats();
    }
  }

  function storeStatus(store) {
    const status = store && typeof store.status === 'string' ? store.status.toLowerCase() : 'unknown';
    const label = { up: 'Up', down: 'Down', disabled: 'Off' }[status] || 'Unknown';
    return [status, label];
  }

  function renderStore(prefix, store, fallbackDetail) {
    const [status, label] = storeStatus(store);
    setStatus(`${prefix}-status`, status, label);
    const count = store ? store.count : null;
    setText(`total-${prefix}`, isNum(count) ? fmt(count) : '—');
    // the detail names the store already ("Lucene 10.6.0 at /data/index"); the name is the fallback
    const detail = store && typeof store.detail === 'string' && store.detail ? sentence(store.detail)
      : store && store.name ? store.name : fallbackDetail;
    setText(`${prefix}-detail`, detail);
  }

  function renderStats(stats) {
    renderStore('primary', stats.primary, 'primary store');
    renderStore('secondary', stats.secondary, 'secondary store');
    renderReplication(stats.replication, stats.secondary);
    renderSync(stats.last_sync);
    renderUsage(stats.usage);

    const embedder = stats.embedder || {};
    facts('primary-facts', [
      ['Embedder', embedder.model || '—'],
      ['Dimensions', fmt(embedder.dimension)],
    ]);
    facts('secondary-facts', secondaryFacts(stats.primary, stats.secondary));
    setText('footer-info', isNum(stats.took_ms)
      ? `Ability Store · statistics gathered in ${duration(stats.took_ms)}`
      : 'Ability Store');
    document.body.dataset.stats = 'loaded';
  }

  function secondaryFacts(primary, secondary) {
    const status = secondary && String(secondary.status).toLowerCase();
    if (status === 'disabled') {
      return secondary.detail ? [] : [[null, 'Not configured: set DATABASE_URL to keep a copy in PostgreSQL.', 'muted']];
    }
    if (status === 'down') return [[null, 'Unreachable: writes wait in the replication queue.', 'error']];
    const a = primary && primary.count;
    const b = secondary && secondary.count;
    if (!isNum(a) || !isNum(b)) return [];
    const diff = b - a;
    return [['Against the index', diff === 0 ? 'same count' : `${fmt(Math.abs(diff))} ${diff < 0 ? 'fewer' : 'more'}`]];
  }

  function renderReplication(replication, secondary) {
    if (!replication) {
      setText('queue-depth', '—');
      setText('queue-unit', '');
      setStatus('queue-status', 'off', 'Off');
      const off = secondary && String(secondary.status).toLowerCase() === 'disabled';
      facts('queue-facts', [[null, off
        ? 'No queue: PostgreSQL is not configured (set DATABASE_URL).'
        : 'The replicator is not running.', 'muted']]);
      return;
    }
    const depth = replication.depth;
    setText('queue-depth', fmt(depth));
    setText('queue-unit', depth === 1 ? 'write waiting' : 'writes waiting');
    const failures = replication.consecutive_failures || 0;
    if (failures > 0) setStatus('queue-status', 'failing', 'Retrying');
    else if (replication.parked > 0) setStatus('queue-status', 'warn', 'Writes refused');
    else if (depth > 0) setStatus('queue-status', 'warn', 'Draining');
    else setStatus('queue-status', 'ok', 'In step');
    const rows = [
      ['Oldest', isNum(replication.oldest_age_ms) ? duration(replication.oldest_age_ms) : '—'],
      ['Delivered', fmt(replication.delivered)],
      ['Failures in a row', fmt(failures)],
      ['Refused, set aside', fmt(replication.parked || 0)],
    ];
    if (replication.last_error) rows.push([null, `Last error: ${replication.last_error}`]);
    facts('queue-facts', rows);
  }

  function direction(value) {
    return typeof value === 'string' ? value.toLowerCase().replace(/_/g, '-').replace('-to-', ' → ') : '—';
  }

  function renderSync(sync) {
    const when = $('sync-when');
    if (!sync) {
      when.textContent = 'Never';
      when.removeAttribute('title');
      setStatus('sync-status', 'off', 'None');
      setText('sync-detail', 'No sync has run since start-up.');
      $('sync-table').hidden = true;
      facts('sync-facts', []);
      return;
    }
    when.textContent = ago(sync.started_at);
    when.title = absolute(sync.started_at);
    if (sync.dry_run) setStatus('sync-status', 'off', 'Dry run');
    else if (sync.repaired > 0) setStatus('sync-status', 'warn', `${fmt(sync.repaired)} repaired`);
    else setStatus('sync-status', 'ok', 'In step');
    setText('sync-detail', `${direction(sync.direction)} · took ${duration(sync.duration_ms)}`);
    $('sync-table').hidden = false;
    setText('sync-scanned-primary', fmt(sync.scanned_primary));
    setText('sync-scanned-secondary', fmt(sync.scanned_secondary));
    setText('sync-missing-primary', fmt(sync.missing_in_primary));
    setText('sync-missing-secondary', fmt(sync.missing_in_secondary));
    const rows = [['Stale', fmt(sync.stale)]];
    if (sync.deletions_honoured > 0) rows.push(['Deletions honoured', fmt(sync.deletions_honoured)]);
    rows.push([sync.dry_run ? 'Would repair' : 'Repaired', `${fmt(sync.repaired)}${sync.repairs_truncated ? '+' : ''}`]);
    facts('sync-facts', rows);
  }

  // ---------- usage ----------

  function renderUsage(usage) {
    state.usage = usage || null;
    const tabs = $('usage-tabs');
    if (!usage) {
      setText('usage-summary', 'Usage analytics are off.');
      tabs.hidden = true;
      $('usage-table').hidden = true;
      $('usage-empty').hidden = true;
      $('usage-services').replaceChildren();
      $('usage-services-empty').hidden = false;
      return;
    }
    tabs.hidden = false;
    setText('usage-summary', `${plural(usage.searches, 'search', 'searches')} answered · hits are appearances in search results`);
    renderUsageRows();
    renderServiceUsage(Array.isArray(usage.services) ? usage.services : []);
  }

  function renderUsageRows() {
    const usage = state.usage;
    if (!usage) return;
    const top = (Array.isArray(usage.top_abilities) ? usage.top_abilities : []).slice();
    const order = state.usageOrder;
    const total = (a) => (a.hits || 0) + (a.fetches || 0);
    if (order === 'hits') top.sort((a, b) => (b.hits || 0) - (a.hits || 0) || total(b) - total(a));
    else if (order === 'fetches') top.sort((a, b) => (b.fetches || 0) - (a.fetches || 0) || total(b) - total(a));
    const rows = top
      .filter((a) => order === 'total' || (a[order] || 0) > 0)
      .slice(0, 10)
      .map((a) => h('tr', null,
        h('td', null, h('code', { text: a.ability_id }), h('span', { class: 'cell-sub', text: a.service_name || '' })),
        h('td', { class: `n${order === 'hits' ? ' strong' : ''}`, text: fmt(a.hits) }),
        h('td', { class: `n${order === 'fetches' ? ' strong' : ''}`, text: fmt(a.fetches) }),
        h('td', { class: 'n', title: absolute(a.last_used_at), text: ago(a.last_used_at) })));
    $('usage-rows').replaceChildren(...rows);
    $('usage-table').hidden = rows.length === 0;
    const empty = $('usage-empty');
    empty.hidden = rows.length > 0;
    if (!rows.length) {
      empty.textContent = order === 'fetches'
        ? 'No ability has been fetched by id yet.'
        : 'No searches or fetches yet: abilities found by the search appear here.';
    }
  }

  function renderServiceUsage(services) {
    const used = services.filter((s) => (s.hits || 0) + (s.fetches || 0) > 0).slice(0, 8);
    const max = Math.max(1, ...used.map((s) => (s.hits || 0) + (s.fetches || 0)));
    $('usage-services').replaceChildren(...used.map((s) => {
      const hits = s.hits || 0;
      const fetches = s.fetches || 0;
      const track = h('span', { class: 'bar-track', role: 'img',
        'aria-label': `${s.service_name}: ${plural(hits, 'hit', 'hits')}, ${plural(fetches, 'fetch', 'fetches')}` },
      segment('bar-hits', hits, max, `${fmt(hits)} hits`),
      segment('bar-fetches', fetches, max, `${fmt(fetches)} fetches`));
      return h('li', { class: 'bar-row' },
        h('span', { class: 'bar-label', title: s.service_name, text: s.service_name }),
        track,
        h('span', { class: 'bar-value', text: fmt(hits + fetches) }));
    }));
    $('usage-services-empty').hidden = used.length > 0;
  }

  function segment(cls, value, max, title) {
    const el = h('span', { class: `bar-seg ${cls}`, title });
    el.style.width = `${(100 * value) / max}%`;
    return el;
  }

  // ---------- services ----------

  async function refreshServices() {
    try {
      const answer = await api('v1/services');
      state.lastServicesAt = Date.now();
      renderServices(Array.isArray(answer.services) ? answer.services : []);
    } catch (error) {
      if (!error.auth) {
        setText('services-summary', 'Could not load the services.');
        showNotice('services', 'Could not load the services.', describe(error));
      }
    }
  }

  function renderServices(services) {
    const sorted = services.slice().sort((a, b) => (b.total || 0) - (a.total || 0)
      || String(a.service_name).localeCompare(String(b.service_name)));
    const total = sorted.reduce((sum, s) => sum + (s.total || 0), 0);
    const pub = sorted.reduce((sum, s) => sum + (s.public || 0), 0);
    const priv = sorted.reduce((sum, s) => sum + (s.private || 0), 0);
    setText('services-summary', sorted.length
      ? `${plural(total, 'ability', 'abilities')} in ${plural(sorted.length, 'service', 'services')} · ${fmt(pub)} public, ${fmt(priv)} private`
      : 'Nothing stored yet.');
    const max = Math.max(1, ...sorted.map((s) => s.total || 0));
    $('services-chart').replaceChildren(...sorted.map((s) => {
      const name = String(s.service_name);
      const track = h('span', { class: 'bar-track', role: 'img',
        'aria-label': `${name}: ${plural(s.total, 'ability', 'abilities')}, ${fmt(s.public)} public, ${fmt(s.private)} private` },
      segment('bar-public', s.public || 0, max, `${fmt(s.public)} public`),
      segment('bar-private', s.private || 0, max, `${fmt(s.private)} private`));
      return h('li', { class: 'bar-row', dataset: { service: name } },
        h('button', { type: 'button', class: 'bar-label', title: `Search within ${name}`,
          onclick: () => filterByService(name), text: name }),
        track,
        h('span', { class: 'bar-value', text: fmt(s.total) }));
    }));
    $('services-empty').hidden = sorted.length > 0;
    document.body.dataset.services = 'loaded';
    updateServiceOptions(sorted.map((s) => String(s.service_name)).sort((a, b) => a.localeCompare(b)));
  }

  function updateServiceOptions(names) {
    if (names.join('\n') === state.serviceNames.join('\n')) return;
    state.serviceNames = names;
    const select = $('search-service');
    const selected = select.value;
    select.replaceChildren(h('option', { value: '', text: 'All services' }),
      ...names.map((name) => h('option', { value: name, text: name })));
    if (selected && !names.includes(selected)) select.append(h('option', { value: selected, text: selected }));
    select.value = selected;
  }

  function filterByService(name) {
    const select = $('search-service');
    if (![...select.options].some((o) => o.value === name)) select.append(h('option', { value: name, text: name }));
    select.value = name;
    const query = $('search-query');
    query.focus();
    if (query.value.trim()) runSearch();
  }

  // ---------- search ----------

  async function runSearch() {
    const queryInput = $('search-query');
    const query = queryInput.value.trim();
    setText('search-error', '');
    queryInput.removeAttribute('aria-invalid');
    if (!query) {
      queryInput.setAttribute('aria-invalid', 'true');
      setText('search-error', 'Type what you are looking for.');
      queryInput.focus();
      return;
    }
    const body = { query, k: Number($('search-k').value) || 10, mode: $('search-mode').value };
    const service = $('search-service').value;
    if (service) body.service_name = service;

    const seq = ++state.searchSeq;
    const button = $('search-submit');
    const results = $('results');
    button.disabled = true;
    button.textContent = 'Searching…';
    results.setAttribute('aria-busy', 'true');
    state.pendingSearch = false;
    try {
      const answer = await api('v1/search', { method: 'POST', body });
      if (seq !== state.searchSeq) return;
      renderResults(answer, body);
      refreshStats();
    } catch (error) {
      if (seq !== state.searchSeq) return;
      if (error.auth) {
        state.pendingSearch = true;
        setText('search-error', 'Enter an API key above; the search runs as soon as it is accepted.');
      } else {
        const fieldError = (error.errors || []).some((e) => e && e.field === 'query');
        if (fieldError) queryInput.setAttribute('aria-invalid', 'true');
        setText('search-error', `The search failed: ${describe(error)}`);
      }
    } finally {
      if (seq === state.searchSeq) {
        button.disabled = false;
        button.textContent = 'Search';
        results.removeAttribute('aria-busy');
      }
    }
  }

  function renderResults(answer, request) {
    const hits = Array.isArray(answer.results) ? answer.results : [];
    const count = isNum(answer.count) ? answer.count : hits.length;
    const mode = answer.mode || request.mode;
    const meta = [
      h('span', null, h('strong', { text: plural(count, 'result', 'results') }), ` for “${request.query}”`),
      h('span', { text: `${mode} search` }),
    ];
    if (request.service_name) meta.push(h('span', { text: `in ${request.service_name}` }));
    if (isNum(answer.took_ms)) meta.push(h('span', { class: 'took', text: `took ${duration(answer.took_ms)}` }));
    $('search-meta').replaceChildren(...meta);
    $('search-degraded').hidden = answer.degraded !== true;

    const best = Math.max(...hits.map((r) => (isNum(r.score) ? r.score : 0)), 0);
    $('results').replaceChildren(...hits.map((result, i) => resultItem(result, i + 1, best)));
    const empty = $('results-empty');
    empty.hidden = hits.length > 0;
    if (!hits.length) {
      empty.querySelector('p').textContent = request.service_name
        ? `Nothing matched in ${request.service_name}. Try other words, another mode or all services.`
        : 'Nothing matched. Try other words or another mode.';
    }
  }

  function resultItem(result, rank, best) {
    const ability = result.ability || {};
    const metadata = ability.metadata && typeof ability.metadata === 'object' ? ability.metadata : {};
    const priv = ability.dynamic_headers_required === true;
    const headerKeys = Array.isArray(ability.dynamic_header_keys) ? ability.dynamic_header_keys : [];
    const badge = h('span', {
      class: `badge ${priv ? 'badge-private' : 'badge-public'}`,
      title: priv
        ? `Private: needs per-request headers${headerKeys.length ? ` (${headerKeys.join(', ')})` : ''}`
        : 'Public: callable without per-request headers',
      text: priv ? 'Private' : 'Public',
    });
    const method = typeof metadata.request_method === 'string' ? metadata.request_method.toUpperCase() : '';
    const url = typeof metadata.request_url === 'string' ? metadata.request_url : '';
    const request = method || url
      ? h('div', { class: 'result-request' },
        method ? h('span', { class: `method method-${method.toLowerCase()}`, text: method }) : null,
        url ? h('code', { class: 'url', text: url }) : null)
      : null;
    const score = isNum(result.score) ? result.score : null;
    const bar = h('span');
    bar.style.width = `${score !== null && best > 0 ? Math.max(4, (100 * score) / best) : 0}%`;
    return h('li', { class: 'result', dataset: { abilityId: ability.ability_id || '' } },
      h('span', { class: 'result-rank', 'aria-label': `Rank ${rank}`, text: String(rank) }),
      h('div', { class: 'result-body' },
        h('div', { class: 'result-title' },
          h('h3', { text: ability.ability_name || ability.ability_id || '(unnamed)' }),
          badge,
          ability.service_name ? h('span', { class: 'chip', title: 'Service', text: ability.service_name }) : null),
        h('div', { class: 'result-id' }, h('code', { class: 'ability-id', text: ability.ability_id || '' })),
        request,
        ability.description ? h('p', { class: 'result-desc', title: ability.description, text: ability.description }) : null),
      h('div', { class: 'result-score' },
        h('span', { class: 'score-label', text: 'score' }),
        h('span', { class: 'score', text: score === null ? '—' : score.toFixed(4) }),
        h('span', { class: 'score-bar', 'aria-hidden': 'true' }, bar)));
  }

  // ---------- wiring ----------

  function start() {
    $('forget-key').hidden = !memoryKey;

    $('search-form').addEventListener('submit', (event) => {
      event.preventDefault();
      runSearch();
    });

    $('auth-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const input = $('api-key');
      const key = input.value.trim();
      if (!key) {
        input.setAttribute('aria-invalid', 'true');
        setText('auth-error', 'Enter the key.');
        input.focus();
        return;
      }
      if (!/^[\x21-\x7e]+$/.test(key)) {
        input.setAttribute('aria-invalid', 'true');
        setText('auth-error', 'A key is printable ASCII without spaces.');
        input.focus();
        return;
      }
      input.removeAttribute('aria-invalid');
      input.value = '';
      unlock(key);
    });

    $('forget-key').addEventListener('click', () => {
      storeKey(null);
      refreshStats();
    });

    $('notice-close').addEventListener('click', () => clearNotice());

    $('usage-tabs').addEventListener('click', (event) => {
      const button = event.target.closest('button[data-order]');
      if (!button) return;
      state.usageOrder = button.dataset.order;
      for (const b of $('usage-tabs').querySelectorAll('button')) {
        b.setAttribute('aria-checked', String(b === button));
      }
      renderUsageRows();
    });

    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') {
        clearTimeout(state.statsTimer);
        if (!state.locked) live('paused', 'Paused');
      } else if (!state.locked) {
        refreshStats();
      }
    });

    refreshStats(); // and the services, once the stats answer
  }

  start();
})();
