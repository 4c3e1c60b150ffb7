// Comfort only: every page works without this script.
// - <time data-countdown> counts down (or up, once past) every 30 s;
// - a form (or the submit button pressed) with data-confirm asks before it sends;
// - keyboard: "g" then t/p/r/a goes to Today/Problems/Promises/Accounts; "/" focuses search.
(() => {
  'use strict';

  const friendly = (ms) => {
    let m = Math.floor(Math.abs(ms) / 60000);
    if (m < 1) return null;
    const d = Math.floor(m / 1440);
    const h = Math.floor((m % 1440) / 60);
    m %= 60;
    if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
    return h > 0 ? (m > 0 ? `${h}h ${m}m` : `${h}h`) : `${m}m`;
  };

  const tick = () => {
    const now = Date.now();
    for (const el of document.querySelectorAll('time[data-countdown]')) {
      const left = Date.parse(el.getAttribute('datetime')) - now;
      const amount = friendly(left);
      if (el.dataset.countdown === 'left') {
        el.textContent = amount === null ? 'due now' : left > 0 ? `${amount} left` : `${amount} overdue`;
      } else {
        el.textContent = amount === null ? 'now' : left > 0 ? `in ${amount}` : `${amount} ago`;
      }
    }
  };
  tick();
  setInterval(tick, 30000);

  document.addEventListener('submit', (event) => {
    const button = event.submitter;
    const question = (button && button.dataset.confirm) || event.target.dataset.confirm;
    if (question && !window.confirm(question)) event.preventDefault();
  });

  let pending = false;
  const go = { t: '/', p: '/problems', r: '/promises', a: '/accounts' };
  document.addEventListener('keydown', (event) => {
    const target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target.closest && target.closest('input, textarea, select, [contenteditable]')) return;
    if (pending && go[event.key]) {
      window.location.assign(go[event.key]);
      pending = false;
      return;
    }
    pending = event.key === 'g';
    if (event.key === '/') {
      const search = document.querySelector('input[type="search"]');
      if (search) {
        event.preventDefault();
        search.focus();
      }
    }
  });
})();
