// The console's diagram: the seed's drawing of the platform, filled every second with the graph
// the console serves (/console/live), or with the graph of a past moment (/console/graph?at=).
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const NODE_WIDTH = 178;
const NODE_HEIGHT = 54;

const state = { window: 60, replayAt: null, source: null, latest: null };

function element(name, attributes, parent) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
  if (parent) parent.appendChild(node);
  return node;
}

function formatRate(perSecond) {
  if (perSecond === 0) return "0";
  return perSecond >= 10 ? perSecond.toFixed(0) : perSecond >= 1 ? perSecond.toFixed(1) : perSecond.toFixed(2);
}

function formatMilliseconds(value) {
  if (value === null || value === undefined) return "—";
  return value >= 1000 ? (value / 1000).toFixed(1) + " s" : value.toFixed(value >= 10 ? 0 : 1) + " ms";
}

function formatAge(seconds) {
  if (!seconds) return "—";
  return seconds >= 120 ? (seconds / 60).toFixed(0) + " min" : seconds.toFixed(0) + " s";
}

// Event legs between the same two nodes are bent apart, so that each type has a line of its own.
function bends(edges) {
  const byPair = new Map();
  for (const edge of edges) {
    if (edge.kind !== "event") continue;
    const pair = [edge.from, edge.to].sort().join("|");
    if (!byPair.has(pair)) byPair.set(pair, []);
    byPair.get(pair).push(edge.id);
  }
  const bend = new Map();
  for (const ids of byPair.values()) {
    ids.forEach((id, index) => bend.set(id, (index - (ids.length - 1) / 2) * 16 + (ids.length === 1 ? 10 : 0)));
  }
  return bend;
}

function edgePath(edge, nodes, bend) {
  const from = nodes.get(edge.from);
  const to = nodes.get(edge.to);
  if (!from || !to) return null;
  if (edge.kind !== "event") return { d: `M${from.x},${from.y} L${to.x},${to.y}`, mid: [(from.x + to.x) / 2, (from.y + to.y) / 2] };
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const length = Math.hypot(dx, dy) || 1;
  const offset = bend.get(edge.id) || 0;
  const cx = (from.x + to.x) / 2 - (dy / length) * offset * 2;
  const cy = (from.y + to.y) / 2 + (dx / length) * offset * 2;
  return { d: `M${from.x},${from.y} Q${cx},${cy} ${to.x},${to.y}`, mid: [(from.x + 2 * cx + to.x) / 4, (from.y + 2 * cy + to.y) / 4] };
}

function describeEdge(edge, labels) {
  const name = edge.kind === "event" ? `${edge.event}: ${labels.get(edge.from)} → ${labels.get(edge.to)}` : `${labels.get(edge.from)} → ${labels.get(edge.to)}`;
  const group = edge.consumer ? ` (${edge.consumer})` : "";
  const timing = edge.kind === "call" ? `, p95 ${formatMilliseconds(edge.p95Milliseconds)}` : "";
  return `${name}${group}: ${edge.count} in the window, ${formatRate(edge.ratePerSecond)}/s, ${edge.errors} failed${timing}`;
}

function draw(graph) {
  const svg = document.getElementById("diagram");
  svg.replaceChildren();
  const nodes = new Map(graph.nodes.map((node) => [node.id, node]));
  const labels = new Map(graph.nodes.map((node) => [node.id, node.label]));
  const bend = bends(graph.edges);
  const edgeLayer = element("g", { class: "edges" }, svg);
  for (const edge of graph.edges) {
    const path = edgePath(edge, nodes, bend);
    if (!path) continue;
    const failing = edge.errors > 0;
    const busy = edge.count > 0;
    const group = element("g", {
      class: `edge ${edge.kind}${failing ? " failing" : ""}${busy ? " busy" : ""}${edge.expected ? "" : " unexpected"}`,
      "data-edge": edge.id,
    }, edgeLayer);
    element("title", {}, group).textContent = describeEdge(edge, labels);
    element("path", { class: "line", d: path.d }, group);
    if (busy) {
      // Denser dots for busier lines, and faster; none while the user asks for less motion (CSS).
      const gap = Math.max(6, 40 / (1 + edge.ratePerSecond));
      const flow = element("path", { class: "flow", d: path.d, "stroke-dasharray": `3 ${gap.toFixed(1)}` }, group);
      flow.style.animationDuration = `${Math.max(0.4, 3 / (1 + Math.log2(1 + edge.ratePerSecond))).toFixed(2)}s`;
      const label = element("text", { class: "figure", x: path.mid[0], y: path.mid[1] - 4 }, group);
      label.textContent = String(edge.count);
    }
  }
  const nodeLayer = element("g", { class: "nodes" }, svg);
  for (const node of graph.nodes) {
    const group = element("g", { class: `node ${node.kind} ${node.health || "none"}`, "data-node": node.id, transform: `translate(${node.x - NODE_WIDTH / 2},${node.y - NODE_HEIGHT / 2})` }, nodeLayer);
    element("rect", { width: NODE_WIDTH, height: NODE_HEIGHT, rx: 8 }, group);
    element("text", { class: "label", x: NODE_WIDTH / 2 + 6, y: 20 }, group).textContent = node.label;
    const details = [];
    if (node.instances) details.push(`${node.instances.ready} of ${node.instances.total}`);
    if (node.outbox) details.push(`outbox ${node.outbox.depth}`);
    if (node.consumerLag) details.push(`lag ${node.consumerLag}`);
    if (node.deadLetters) details.push(`dead ${node.deadLetters}`);
    element("text", { class: "detail", x: NODE_WIDTH / 2, y: 40 }, group).textContent = details.join(" · ");
    if (node.openBreakers) {
      element("text", { class: "breaker", x: NODE_WIDTH / 2, y: NODE_HEIGHT + 14 }, group).textContent = `breaker ${node.openBreakers.join(", ")}`;
    }
    if (node.health) element("circle", { class: "health", cx: 11, cy: 15, r: 5 }, group);
    element("title", {}, group).textContent = `${node.label}: ${node.health || "no health to report"}${node.instances ? `, ${node.instances.ready} of ${node.instances.total} instances ready` : ""}${node.openBreakers ? `, breakers not closed: ${node.openBreakers.join(", ")}` : ""}`;
  }
  fillTables(graph, labels);
}

function row(cells) {
  const tr = document.createElement("tr");
  cells.forEach((text, index) => {
    const cell = document.createElement(index === 0 ? "th" : "td");
    if (index === 0) cell.scope = "row";
    cell.textContent = text;
    tr.appendChild(cell);
  });
  return tr;
}

function fillTables(graph, labels) {
  const calls = graph.edges.filter((edge) => edge.kind === "call");
  document.getElementById("calls").replaceChildren(...calls.map((edge) =>
    row([labels.get(edge.from) || edge.from, labels.get(edge.to) || edge.to, String(edge.count), formatRate(edge.ratePerSecond), String(edge.errors), formatMilliseconds(edge.p95Milliseconds)])));
  const events = graph.edges.filter((edge) => edge.kind === "event");
  document.getElementById("events").replaceChildren(...events.map((edge) =>
    row([edge.event, labels.get(edge.from) || edge.from, labels.get(edge.to) || edge.to, edge.consumer || "—", String(edge.count), formatRate(edge.ratePerSecond), String(edge.errors)])));
  const components = graph.nodes.filter((node) => node.instances);
  document.getElementById("components").replaceChildren(...components.map((node) =>
    row([node.label, node.health, `${node.instances.ready} of ${node.instances.total}`, node.openBreakers ? node.openBreakers.join(", ") : "all closed",
      node.outbox ? String(node.outbox.depth) : "—", node.outbox ? formatAge(node.outbox.oldestAgeSeconds) : "—",
      node.consumerLag === null || node.consumerLag === undefined ? "—" : String(node.consumerLag),
      node.deadLetters === null || node.deadLetters === undefined ? "—" : String(node.deadLetters)])));
}

function showMoment(graph) {
  const slider = document.getElementById("replay");
  slider.min = String(Math.floor(graph.oldest));
  slider.max = String(Math.floor(graph.newest));
  if (state.replayAt === null) slider.value = slider.max;
  const when = new Date(graph.at * 1000).toLocaleTimeString();
  const covered = Math.round(graph.coveredSeconds);
  document.getElementById("moment").textContent =
    (state.replayAt === null ? `Live, ${when}` : `Replay of ${when}`) + ` — the last ${covered} s of a ${graph.windowSeconds / 60}-minute window`;
  document.getElementById("live").disabled = state.replayAt === null;
}

function connect() {
  if (state.source) state.source.close();
  state.source = new EventSource(`/console/live?window=${state.window}`);
  state.source.addEventListener("graph", (message) => {
    const graph = JSON.parse(message.data);
    state.latest = graph;
    if (state.replayAt === null) {
      draw(graph);
      showMoment(graph);
    } else {
      showMoment({ ...graph, at: state.replayAt, coveredSeconds: state.window, windowSeconds: state.window });
    }
  });
  state.source.onerror = () => {
    document.getElementById("moment").textContent = "Reconnecting…";
  };
}

async function replay(at) {
  state.replayAt = at;
  const response = await fetch(`/console/graph?window=${state.window}&at=${at}`, { headers: { Accept: "application/json" } });
  if (!response.ok) return;
  const graph = await response.json();
  draw(graph);
  showMoment(graph);
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("window").addEventListener("change", (event) => {
    state.window = Number(event.target.value);
    if (state.replayAt !== null) replay(state.replayAt);
    connect();
  });
  const slider = document.getElementById("replay");
  slider.addEventListener("input", () => {
    const at = Number(slider.value);
    if (state.latest && at >= Math.floor(state.latest.newest)) {
      state.replayAt = null;
      draw(state.latest);
      showMoment(state.latest);
    } else {
      replay(at);
    }
  });
  document.getElementById("live").addEventListener("click", () => {
    state.replayAt = null;
    if (state.latest) {
      draw(state.latest);
      showMoment(state.latest);
    }
  });
  connect();
});
