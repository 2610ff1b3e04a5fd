// The millrace dashboard: one EventSource on /dashboard/events, a snapshot of every view each second.
"use strict";

(function () {
  const CAR_COLOURS = ["#0b5cad", "#a40e26", "#116329", "#6f42c1", "#8a4600", "#0e6e7e", "#953800", "#1b1f24"];
  const SVG = "http://www.w3.org/2000/svg";
  const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
  const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
  const decimal = new Intl.NumberFormat(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 });

  const $ = (id) => document.getElementById(id);
  const time = (ms) => (ms ? clock.format(new Date(ms)) : "–");
  const count = (n) => (n === null || n === undefined ? "–" : integer.format(n));

  function lap(ms) {
    if (ms === null || ms === undefined) return "–";
    const minutes = Math.floor(ms / 60000);
    const seconds = ((ms % 60000) / 1000).toFixed(3).padStart(6, "0");
    return minutes + ":" + seconds;
  }

  function cell(row, text, className) {
    const td = document.createElement("td");
    td.textContent = text;
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }

  function timeElement(ms, format) {
    const t = document.createElement("time");
    t.dateTime = new Date(ms).toISOString();
    t.textContent = (format || clock).format(new Date(ms));
    return t;
  }

  function fill(tableId, items, render) {
    const body = document.querySelector("#" + tableId + " tbody");
    const rows = document.createDocumentFragment();
    items.forEach((item) => {
      const row = document.createElement("tr");
      render(row, item);
      rows.appendChild(row);
    });
    body.replaceChildren(rows);
  }

  function sparkline(svg, values) {
    const line = svg.querySelector("polyline");
    if (!values || values.length < 2) {
      line.setAttribute("points", "");
      return;
    }
    const max = Math.max(...values, 1e-9);
    const step = 100 / (values.length - 1);
    line.setAttribute("points", values.map((v, i) => (i * step).toFixed(2) + "," + (23 - (v / max) * 22).toFixed(2)).join(" "));
  }

  function newSparkline(values, label) {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "spark");
    svg.setAttribute("viewBox", "0 0 100 24");
    svg.setAttribute("preserveAspectRatio", "none");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", label);
    svg.appendChild(document.createElementNS(SVG, "polyline"));
    sparkline(svg, values);
    return svg;
  }

  // --- tabs: real buttons, arrow keys move between them (WAI-ARIA tabs pattern) ---
  const tabs = Array.from(document.querySelectorAll('[role="tab"]'));

  function select(tab, focus) {
    tabs.forEach((t) => {
      const selected = t === tab;
      t.setAttribute("aria-selected", String(selected));
      t.tabIndex = selected ? 0 : -1;
      $(t.getAttribute("aria-controls")).hidden = !selected;
    });
    if (focus) tab.focus();
    history.replaceState(null, "", "#" + tab.id.substring(4));
  }

  tabs.forEach((tab, i) => {
    tab.addEventListener("click", () => select(tab, false));
    tab.addEventListener("keydown", (e) => {
      let next = null;
      if (e.key === "ArrowRight") next = tabs[(i + 1) % tabs.length];
      else if (e.key === "ArrowLeft") next = tabs[(i - 1 + tabs.length) % tabs.length];
      else if (e.key === "Home") next = tabs[0];
      else if (e.key === "End") next = tabs[tabs.length - 1];
      if (next) {
        e.preventDefault();
        select(next, true);
      }
    });
  });
  const initial = tabs.find((t) => "#" + t.id.substring(4) === location.hash);
  if (initial) select(initial, false);

  // --- race ---
  // Equirectangular projection around the track's middle, in metres: to scale at track size.
  function projection(points) {
    let minLat = Infinity, maxLat = -Infinity, minLon = Infinity, maxLon = -Infinity;
    points.forEach(([lat, lon]) => {
      minLat = Math.min(minLat, lat); maxLat = Math.max(maxLat, lat);
      minLon = Math.min(minLon, lon); maxLon = Math.max(maxLon, lon);
    });
    const lat0 = (minLat + maxLat) / 2, lon0 = (minLon + maxLon) / 2;
    const mPerDegLat = 111132.954 - 559.822 * Math.cos((2 * lat0 * Math.PI) / 180);
    const mPerDegLon = 111319.488 * Math.cos((lat0 * Math.PI) / 180);
    const project = ([lat, lon]) => [(lon - lon0) * mPerDegLon, -(lat - lat0) * mPerDegLat];
    const [x0, y0] = project([maxLat, minLon]);
    const [x1, y1] = project([minLat, maxLon]);
    return { project, box: [x0, y0, x1 - x0, y1 - y0] };
  }

  function niceLength(metres) {
    const steps = [10, 20, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000];
    return steps.reverse().find((s) => s <= metres) || 10;
  }

  function drawRace(race) {
    const svg = $("track");
    const known = race.cars.filter((c) => c.fixTime > 0).map((c) => [c.lat, c.lon]);
    const points = race.track.length > 1 ? race.track : known;
    if (points.length === 0) return;
    const { project, box } = projection(points.concat(known));
    const pad = Math.max(box[2], box[3], 50) * 0.06;
    const view = [box[0] - pad, box[1] - pad, Math.max(box[2], 50) + 2 * pad, Math.max(box[3], 50) + 2 * pad];
    svg.setAttribute("viewBox", view.map((v) => v.toFixed(1)).join(" "));
    const d = race.track.map((p, i) => (i ? "L" : "M") + project(p).map((v) => v.toFixed(1)).join(" ")).join(" ");
    $("track-line").setAttribute("d", race.trackClosed ? d + " Z" : d);

    const unit = Math.max(view[2], view[3]) / 45; // a car's radius, in metres of the drawing
    const bar = niceLength(view[2] / 4);
    const scale = $("track-scale-bar");
    const bx = view[0] + pad / 2, by = view[1] + view[3] - pad / 3;
    const line = scale.querySelector("line");
    line.setAttribute("x1", bx); line.setAttribute("x2", bx + bar);
    line.setAttribute("y1", by); line.setAttribute("y2", by);
    const label = scale.querySelector("text");
    label.setAttribute("x", bx); label.setAttribute("y", by - unit * 0.6);
    label.setAttribute("font-size", (unit * 1.4).toFixed(1));
    label.textContent = bar >= 1000 ? bar / 1000 + " km" : bar + " m";
    $("track-scale").textContent = "(scale bar " + label.textContent + ")";

    const layer = $("track-cars");
    race.cars.filter((c) => c.fixTime > 0).forEach((c) => {
      let g = layer.querySelector('[data-car="' + c.car + '"]');
      if (!g) {
        g = document.createElementNS(SVG, "g");
        g.setAttribute("class", "car");
        g.dataset.car = c.car;
        g.appendChild(document.createElementNS(SVG, "circle"));
        g.appendChild(document.createElementNS(SVG, "text"));
        layer.appendChild(g);
      }
      const circle = g.querySelector("circle");
      circle.setAttribute("r", unit.toFixed(1));
      circle.setAttribute("fill", CAR_COLOURS[c.car % CAR_COLOURS.length]);
      const text = g.querySelector("text");
      text.setAttribute("font-size", (unit * 1.2).toFixed(1));
      text.textContent = c.car;
      const [x, y] = project([c.lat, c.lon]);
      g.style.transform = "translate(" + x.toFixed(1) + "px, " + y.toFixed(1) + "px)";
    });

    fill("leaderboard", race.cars, (row, c) => {
      cell(row, c.position === null ? "–" : c.position, "num");
      const name = cell(row, "", "nowrap");
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = CAR_COLOURS[c.car % CAR_COLOURS.length];
      name.append(swatch, "Car " + c.car);
      cell(row, c.speedMph === null ? "–" : decimal.format(c.speedMph) + " mph", "num speed");
      cell(row, count(c.laps), "num");
      cell(row, lap(c.lastLapMs), "num");
      cell(row, lap(c.fastestLapMs), "num");
    });

    const feed = document.createDocumentFragment();
    race.events.forEach((e) => {
      const li = document.createElement("li");
      const tag = document.createElement("span");
      tag.className = "tag";
      tag.textContent = e.type === "FASTEST_LAP" ? "fastest lap" : e.type.toLowerCase();
      li.append(timeElement(e.timestamp), tag, e.text);
      feed.appendChild(li);
    });
    $("race-events").replaceChildren(feed);
  }

  // --- WIS2 ---
  function drawWis2(wis2) {
    const sum = (name) => wis2.centres.reduce((s, c) => s + (c[name] || 0), 0);
    $("wis2-per-minute").textContent = decimal.format(wis2.downloadsPerMinute);
    sparkline($("wis2-spark"), wis2.downloadsPerMinuteSeries);
    $("wis2-downloaded").textContent = count(sum("wmo_wis2_gc_downloaded"));
    $("wis2-failures").textContent = count(sum("wmo_wis2_gc_downloaded_errors") + sum("wmo_wis2_gc_integrity_failed"));
    $("wis2-not-cached").textContent = count(sum("wmo_wis2_gc_no_cache") + sum("wmo_wis2_gc_cache_override"));
    fill("wis2-centres", wis2.centres, (row, c) => {
      cell(row, c.centre, "mono");
      ["wmo_wis2_gc_downloaded", "wmo_wis2_gc_downloaded_errors", "wmo_wis2_gc_integrity_failed",
        "wmo_wis2_gc_no_cache", "wmo_wis2_gc_cache_override"].forEach((n) => cell(row, count(c[n]), "num"));
      const last = cell(row, c.lastDownload ? "" : "–");
      if (c.lastDownload) last.appendChild(timeElement(c.lastDownload, dateTime));
    });
    fill("wis2-notifications", wis2.notifications, (row, n) => {
      cell(row, "").appendChild(timeElement(n.received));
      cell(row, n.dataId, "mono");
      const pub = Date.parse(n.pubtime);
      const pubCell = cell(row, isNaN(pub) ? n.pubtime : "");
      if (!isNaN(pub)) pubCell.appendChild(timeElement(pub, dateTime));
      const link = cell(row, n.href ? "" : n.cached ? "–" : "not cached");
      if (n.href) {
        const a = document.createElement("a");
        a.href = n.href;
        a.textContent = n.cached ? "cached copy" : "source";
        a.rel = "noopener noreferrer";
        a.setAttribute("aria-label", (n.cached ? "cached copy of " : "source of ") + n.dataId);
        link.appendChild(a);
      }
    });
  }

  // --- audit ---
  function drawAudit(audit) {
    $("audit-accepted").textContent = decimal.format(audit.acceptedPerSecond);
    $("audit-final").textContent = count(audit.finalStates);
    $("audit-archived").textContent = count(audit.archived);
    $("audit-salvaged").textContent = count(audit.salvaged);
    $("audit-dead").textContent = count(audit.deadLettered);
    fill("audit-messages", audit.messages, (row, m) => {
      row.dataset.messageId = m.messageID;
      cell(row, "").appendChild(timeElement(m.updated));
      cell(row, m.messageID, "mono");
      cell(row, m.messageType || "–");
      cell(row, m.sourceSystemID || "–");
      cell(row, m.state, m.final ? (m.state === "Archived" ? "up" : "down") : "");
    });
  }

  $("lookup").addEventListener("submit", async (e) => {
    e.preventDefault();
    const id = $("lookup-id").value.trim();
    const status = $("lookup-status");
    const result = $("lookup-result");
    status.textContent = "Looking up " + id + "…";
    result.hidden = true;
    try {
      const response = await fetch("/v1/messages/" + encodeURIComponent(id), {
        headers: { "x-api-key": $("lookup-key").value, Accept: "application/json" },
        cache: "no-store",
        credentials: "omit",
      });
      const body = await response.text();
      let shown = body;
      try { shown = JSON.stringify(JSON.parse(body), null, 2); } catch (ignored) { /* not JSON */ }
      status.textContent = response.ok ? "Found " + id + "." : "The audit API answered " + response.status + ".";
      result.textContent = shown;
      result.hidden = false;
    } catch (err) {
      status.textContent = "The audit API could not be reached.";
    }
  });

  // --- pipeline ---
  function drawPipeline(p) {
    $("health-checked").textContent = p.healthCheckedAt ? "(checked " + time(p.healthCheckedAt) + ")" : "";
    fill("health", p.health, (row, c) => {
      cell(row, c.component);
      cell(row, c.up ? "UP" : "DOWN", c.up ? "up" : "down");
      cell(row, c.reason || "");
    });
    fill("engines", p.engines, (row, e) => {
      cell(row, e.pipeline);
      cell(row, e.engine);
    });
    fill("dead-letters", p.deadLetters, (row, d) => {
      cell(row, d.pipeline);
      cell(row, count(d.count), "num");
      const reasons = cell(row, d.latest.length ? "" : "none");
      d.latest.forEach((l) => {
        const div = document.createElement("div");
        div.append(timeElement(l.time), " " + l.reason + (l.source ? " (from " + l.source + ")" : ""));
        reasons.appendChild(div);
      });
    });
    fill("groups", p.groups, (row, g) => {
      cell(row, g.group, "mono");
      cell(row, g.component || "–");
      cell(row, count(g.lag) + " records", "num");
      cell(row, "").appendChild(newSparkline(g.series, "lag of " + g.group + " over the last minutes"));
    });
    fill("topics", p.topics, (row, t) => {
      cell(row, t.topic, "mono");
      cell(row, decimal.format(t.rate) + " /s", "num");
      cell(row, "").appendChild(newSparkline(t.series, "rate of " + t.topic + " over the last minutes"));
    });
  }

  // --- live data ---
  const connection = $("connection");
  function connected(live) {
    const text = live ? "Live" : "Reconnecting…";
    if (connection.textContent !== text) connection.textContent = text;
    connection.parentElement.className = "connection " + (live ? "live" : "down");
  }
  function connect() {
    const source = new EventSource("/dashboard/events");
    source.addEventListener("open", () => connected(true));
    source.addEventListener("snapshot", (e) => {
      const data = JSON.parse(e.data);
      drawRace(data.race);
      drawWis2(data.wis2);
      drawAudit(data.audit);
      drawPipeline(data.pipeline);
      connected(true);
      $("updated").textContent = "· updated " + time(data.time);
    });
    source.addEventListener("error", () => connected(false));
  }
  connect();
})();
