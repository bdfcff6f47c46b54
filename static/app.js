// Alpine components for Spotter's pages. The pages work without them; these only
// enhance. Served as a plain file (no bundler) before Alpine's CSP build, which
// evaluates no code from attributes: every behaviour lives here.

// The inline booking confirm: one open at a time, and scrolled into view when it opens.
// An outerHTML swap keeps the cell's id, so the new cell is found by it.
document.addEventListener("htmx:afterSettle", (event) => {
  const id = event.detail.target?.id;
  const opened = id && document.getElementById(id);
  if (!opened || !opened.classList.contains("slot-confirm")) return;
  for (const other of document.querySelectorAll(".slot-confirm")) {
    if (other !== opened) other.querySelector("button[data-hx-get]")?.click();
  }
  opened.scrollIntoView({ block: "nearest" });
  // Keyboard and screen reader follow: the confirm's heading takes the focus.
  opened.querySelector("[role=dialog] [tabindex='-1']")?.focus();
});

// Escape closes an open confirm (its Back button), and the focus returns to its slot.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const open = document.querySelector(".slot-confirm");
  const back = open?.querySelector("button[data-hx-get]");
  if (!back) return;
  const id = open.id;
  back.click();
  document.addEventListener("htmx:afterSettle", function refocus() {
    document.removeEventListener("htmx:afterSettle", refocus);
    document.querySelector(`#${id} a`)?.focus();
  });
});

// The day tabs scroll sideways on a phone: keep the chosen day in sight.
const showChosenDay = () =>
  document.querySelector(".day-tabs [aria-current=date]")
    ?.scrollIntoView({ block: "nearest", inline: "center" });
document.addEventListener("DOMContentLoaded", showChosenDay);
document.addEventListener("htmx:afterSettle", (event) => {
  // Only when the week itself moved: a slot's swap must not scroll the page.
  if (event.detail.target?.id === "week") showChosenDay();
});

// A phone shows one day of the week at a time (app.css, under 900 px): a cookie tells the
// calendar, which then sends only that day. Grown wider, a one-day week loads in full.
const oneDayAtATime = matchMedia("(max-width: 899px)");
const rememberView = () => {
  document.cookie = `spotter_view=${
    oneDayAtATime.matches ? "day" : "week"
  }; path=/; SameSite=Lax`;
};
rememberView();
oneDayAtATime.addEventListener("change", () => {
  rememberView();
  if (
    !oneDayAtATime.matches && document.querySelector("#week [data-days='1']")
  ) {
    globalThis.htmx?.ajax("GET", location.pathname + location.search, {
      target: "#week",
      swap: "outerHTML",
    });
  }
});

document.addEventListener("alpine:init", () => {
  const Alpine = globalThis.Alpine;

  // One weekday's working-hour ranges: rows from data-rows, Add and Remove.
  Alpine.data("dayRanges", () => ({
    day: "",
    dayName: "",
    rows: [],
    init() {
      this.day = this.$el.dataset.day;
      this.dayName = this.$el.dataset.dayName;
      this.rows = JSON.parse(this.$el.dataset.rows || "[]");
    },
    add() {
      this.rows.push({ start: "", end: "", error: "" });
    },
    remove(i) {
      this.rows.splice(i, 1);
    },
    nameOf(i, part) {
      return `${this.day}.${i}.${part}`;
    },
    // The page's words for a row's fields (data-label-from / -to, "%n" the row's
    // number), English only when the page names none.
    labelOf(i, part) {
      const words =
        this.$root.dataset[part === "from" ? "labelFrom" : "labelTo"];
      return words
        ? words.replace("%n", String(i + 1))
        : `${this.dayName} range ${i + 1} ${part}`;
    },
    get empty() {
      return this.rows.length === 0;
    },
    rowClass(row) {
      return row.error ? "range-row invalid" : "range-row";
    },
  }));

  // A <select> of time zones: with no value chosen yet, the browser's own zone.
  Alpine.data("zoneFromBrowser", () => ({
    init() {
      const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      const select = this.$el;
      if ([...select.options].some((o) => o.value === zone)) {
        select.value = zone;
      }
    },
  }));

  // Copies the join link from its read-only field, and says so.
  Alpine.data("copyLink", () => ({
    done: "",
    // The button's words come from the markup too (data-copy-label, data-copied-label).
    get label() {
      const words = this.$root.dataset;
      return this.done
        ? words.copiedLabel || "Copied"
        : words.copyLabel || "Copy link";
    },
    async copy() {
      const field = this.$refs.link;
      try {
        await navigator.clipboard.writeText(field.value);
      } catch {
        field.select(); // no clipboard API (plain http): the older way
        document.execCommand("copy");
      }
      // What to say comes from the markup: data-copied on the component's root.
      this.done = this.$root.dataset.copied || "Copied.";
      setTimeout(() => this.done = "", 3000);
    },
  }));

  // A link or button that opens the <dialog x-ref="dialog"> beside it instead.
  // Only one such dialog is open at a time (showModal makes the rest inert anyway).
  Alpine.data("dialogAction", () => ({
    open(event) {
      event.preventDefault();
      this.$refs.dialog.showModal();
    },
    close() {
      this.$refs.dialog.close();
    },
  }));
});
