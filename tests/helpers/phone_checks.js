// Runs inside the page (page.evaluate): what makes a page poor on a phone.
// Returns a list of problems, empty when the page is fine.
(() => {
  const out = [];
  const width = globalThis.innerWidth;
  const root = document.documentElement;
  if (root.scrollWidth > width + 1) {
    out.push(`the page scrolls sideways: ${root.scrollWidth} px on ${width}`);
  }
  const describe = (el) => {
    const text = (el.getAttribute("aria-label") || el.textContent ||
      el.getAttribute("name") || el.getAttribute("type") || "").trim()
      .replace(/\s+/g, " ").slice(0, 40);
    return `${el.tagName.toLowerCase()} "${text}"`;
  };
  const scrollsItself = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === "auto" || o === "scroll") return true;
    }
    return false;
  };
  // A link inside a sentence may be as small as its text (WCAG 2.5.8's inline exception).
  const inSentence = (el) =>
    el.tagName === "A" && getComputedStyle(el).display === "inline" &&
    [...el.parentElement.childNodes].some((n) =>
      n.nodeType === 3 && n.textContent.trim().length > 1
    );
  const targets = document.querySelectorAll(
    "a[href], button, input:not([type=hidden]), select, textarea, summary",
  );
  for (const el of targets) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue; // not shown
    if (getComputedStyle(el).visibility === "hidden") continue;
    if ((r.right > width + 1 || r.left < -1) && !scrollsItself(el)) {
      out.push(`${describe(el)} sticks out of the screen`);
    }
    // An input's label is its clickable box; so is a list item or cell that is all link.
    const box = el.closest("label") ?? el;
    const b = box.getBoundingClientRect();
    if (b.width >= 43.5 && b.height >= 43.5) continue;
    if (inSentence(el)) continue;
    out.push(
      `${describe(el)} is ${Math.round(b.width)}×${Math.round(b.height)} px`,
    );
  }
  return out;
})();
