/**
 * The review app's only script, inline (no build step, no external file): it turns the buttons
 * into calls of the JSON API with the admin token, asked for once and kept in sessionStorage
 * (gone when the tab closes). Without it the pages still list, filter, search and page.
 */
export const REVIEW_SCRIPT = `
(() => {
  const root = document.documentElement;
  root.classList.add('js');
  const status = document.getElementById('status');
  const say = (text) => { status.textContent = text; };
  const dialog = document.getElementById('token-dialog');
  const askToken = () => new Promise((resolve) => {
    const form = dialog.querySelector('form');
    const done = (ev) => {
      ev.preventDefault();
      const token = form.elements.token.value.trim();
      const by = form.elements.by.value.trim();
      if (token) sessionStorage.setItem('feedfold-token', token);
      if (by) sessionStorage.setItem('feedfold-by', by);
      form.removeEventListener('submit', done);
      dialog.close();
      resolve(token || null);
    };
    form.addEventListener('submit', done);
    dialog.showModal();
  });
  const token = async () => sessionStorage.getItem('feedfold-token') || askToken();
  async function api(method, path, body, retried) {
    const key = await token();
    if (!key) throw new Error('no admin token given');
    const res = await fetch(path, { method, headers: { 'Authorization': 'Bearer ' + key, 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    const data = await res.json().catch(() => ({}));
    if (res.status === 401 && !retried) { sessionStorage.removeItem('feedfold-token'); return api(method, path, body, true); }
    if (!res.ok) throw new Error((data.error && data.error.message) || ('HTTP ' + res.status));
    return data;
  }
  const by = () => sessionStorage.getItem('feedfold-by') || undefined;
  const correct = async (body, done) => {
    // Asked first, so the name given with the token goes into this correction's audit entry.
    if (!(await token())) return;
    say('Saving…');
    const result = await api('POST', '/api/overrides', Object.assign(body, by() ? { by: by() } : {}));
    say(done + ' (override ' + result.id + '). The feed changes on the next run, or with Publish now.');
    location.reload();
  };
  let searchTimer;
  document.addEventListener('input', (ev) => {
    const input = ev.target.closest('.merge-box input');
    if (!input) return;
    clearTimeout(searchTimer);
    searchTimer = setTimeout(async () => {
      const box = input.closest('.merge-box');
      const list = box.querySelector('ul');
      const q = input.value.trim();
      if (!q) { list.replaceChildren(); return; }
      const res = await fetch('/api/stories?q=' + encodeURIComponent(q));
      const data = await res.json();
      list.replaceChildren(...data.stories.filter((s) => s.id !== box.dataset.story).slice(0, 10).map((s) => {
        const li = document.createElement('li');
        const button = document.createElement('button');
        button.dataset.action = 'merge';
        button.dataset.story = box.dataset.story;
        button.dataset.other = s.id;
        button.textContent = 'Merge in: ' + s.title + ' (' + s.versions.length + ')';
        li.append(button);
        return li;
      }));
      box.dataset.results = String(list.children.length);
    }, 200);
  });
  document.addEventListener('click', async (ev) => {
    const button = ev.target.closest('button[data-action]');
    if (!button) return;
    const d = button.dataset;
    try {
      if (d.action === 'split') await correct({ action: 'split', article: d.article }, 'Version split out');
      else if (d.action === 'pin') await correct({ action: 'pin', story: d.story, article: d.article }, 'Canonical pinned');
      else if (d.action === 'merge') await correct({ action: 'merge', stories: [d.story, d.other] }, 'Stories merged');
      else if (d.action === 'merge-open') {
        const box = button.closest('.story').querySelector('.merge-box');
        box.hidden = !box.hidden;
        if (!box.hidden) box.querySelector('input').focus();
      } else if (d.action === 'undo') {
        say('Undoing…');
        await api('DELETE', '/api/overrides/' + d.id + (by() ? '?by=' + encodeURIComponent(by()) : ''));
        say('Override ' + d.id + ' undone.');
        location.reload();
      } else if (d.action === 'publish') {
        say('Publishing…');
        const result = await api('POST', '/api/publish');
        say('Feed published: ' + result.entries + ' entries.');
      } else if (d.action === 'token') {
        sessionStorage.removeItem('feedfold-token');
        await askToken();
      }
    } catch (err) {
      say('Not done: ' + err.message);
    }
  });
})();
`;
