// Sign-in with the API's token endpoint. A different person signing in on this device starts
// from an empty store; the same person finds their unsent work where they left it.
import { h, show } from '../ui.js';
import { signIn, ApiError, Offline } from '../api.js';
import { getMeta, setMeta, wipe } from '../store.js';
import { pendingCount } from '../sync.js';
import { waitingPhotos } from '../photos.js';

export function loginView(onDone, notice) {
  const error = h('p', { id: 'loi-dang-nhap', class: 'flash flash-err', role: 'alert', hidden: true });
  const user = h('input', { id: 'ten', name: 'username', autocomplete: 'username', autocapitalize: 'none', required: true });
  const pass = h('input', { id: 'mat-khau', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const button = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Đăng nhập');
  const form = h('form', {
    class: 'login card',
    onsubmit: async (ev) => {
      ev.preventDefault();
      button.disabled = true;
      error.hidden = true;
      try {
        // Whose data the store holds: kept across a sign-out that left work unsent.
        const last = await getMeta('last_user');
        const name = user.value.trim().toLowerCase();
        if (last && last.username !== name) {
          // A photo whose bytes are not sent counts too: wiping would lose it for good.
          if ((await pendingCount()) + (await waitingPhotos()) > 0) {
            throw new Error(`Máy này còn thay đổi hoặc ảnh chưa gửi của ${last.full_name}. Người đó cần đăng nhập lại để gửi trước.`);
          }
          await wipe();
        }
        const s = await signIn(name, pass.value);
        await setMeta('last_user', { username: s.user.username, full_name: s.user.full_name });
        onDone();
      } catch (e) {
        error.textContent = e instanceof Offline
          ? 'Cần có mạng để đăng nhập lần đầu.'
          : e instanceof ApiError || e instanceof Error ? e.message : 'Không đăng nhập được.';
        error.hidden = false;
        button.disabled = false;
      }
    },
  },
  h('h1', {}, 'Đăng nhập'),
  notice ? h('p', { class: 'notice' }, notice) : null,
  error,
  h('div', { class: 'field' }, h('label', { for: 'ten' }, 'Tên đăng nhập'), user),
  h('div', { class: 'field' }, h('label', { for: 'mat-khau' }, 'Mật khẩu'), pass),
  h('div', { class: 'actions' }, button));
  show(form, 'Đăng nhập');
}
