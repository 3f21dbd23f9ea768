// The interim window: shows which review is open and what it holds. Text only, never HTML.
const labels = {
  agency: "Agencies", source: "Sources", paragraph: "Source paragraphs",
  chronology_entry: "Chronology entries", tor_item: "Terms of reference", theme: "Themes",
  finding: "Findings", evidence_link: "Evidence links", recommendation: "Recommendations",
  action: "Actions", section: "Report sections", comment: "Comments",
};
function row(table, name, n) {
  const tr = document.createElement("tr");
  const a = document.createElement("td");
  a.textContent = name;
  const b = document.createElement("td");
  b.className = "n";
  b.textContent = String(n);
  tr.append(a, b);
  table.append(tr);
}
async function show() {
  const meta = document.getElementById("meta");
  try {
    const info = await window.__TAURI__.core.invoke("review_info");
    document.getElementById("title").textContent = info.details.title || "(untitled review)";
    meta.textContent = info.path;
    const table = document.getElementById("counts");
    for (const t of info.stats.tables) {
      if (labels[t.table]) row(table, labels[t.table], t.rows);
    }
    row(table, "Words in sources", info.stats.source_words);
  } catch (e) {
    meta.className = "meta error";
    meta.textContent = typeof e === "object" && e ? e.message : String(e);
  }
}
show();
