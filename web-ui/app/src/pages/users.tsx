/**
 * Users and roles (owner, users.admin): the accounts with role, linked agent and state; add a user
 * (username, role, password, agent id); change a role or the linked agent; disable / enable
 * (disabling ends the user's sessions at once).
 */
import { useState } from 'preact/hooks';
import type { Role, UserInfo } from '../../../../firmware/src/service/types.js';
import { ApiError, api } from '../api.js';
import { t, tOr } from '../i18n.js';
import { useItems } from '../use-items.js';

const ROLES: Role[] = ['owner', 'supervisor', 'agent', 'technician'];

function RoleSelect({ id, value, onChange }: { id: string; value: Role; onChange: (r: Role) => void }) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value as Role)}>
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {tOr(`role.${r}`, r)}
        </option>
      ))}
    </select>
  );
}

export function UsersPage() {
  const list = useItems<UserInfo>('/api/v1/users');
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [form, setForm] = useState({ username: '', role: 'agent' as Role, password: '', agentId: '' });
  const run = async (fn: () => Promise<unknown>, message = '') => {
    setError('');
    setDone('');
    try {
      await fn();
      setDone(message);
      list.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };
  const patch = (u: UserInfo, body: Record<string, unknown>) =>
    run(() => api.patch(`/api/v1/users/${encodeURIComponent(u.username)}`, body));
  const add = (e: Event) => {
    e.preventDefault();
    const { username, role, password, agentId } = form;
    void run(
      () => api.post('/api/v1/users', { username, role, password, ...(agentId ? { agentId } : {}) }),
      t('userAdded', { u: username }),
    ).then(() => setForm({ username: '', role: 'agent', password: '', agentId: '' }));
  };
  return (
    <main class="page users">
      <h1>{t('users')}</h1>
      <p class="error" role="alert">
        {error || list.error}
      </p>
      <p class="ok" role="status" id="users-done">
        {done}
      </p>
      <div class="table-wrap">
        <table class="calls" id="users">
          <thead>
            <tr>
              <th scope="col">{t('username')}</th>
              <th scope="col">{t('role')}</th>
              <th scope="col">{t('linkedAgent')}</th>
              <th scope="col">{t('state')}</th>
            </tr>
          </thead>
          <tbody>
            {(list.items ?? []).map((u) => (
              <tr key={u.username} data-user={u.username}>
                <td>{u.username}</td>
                <td>
                  <label class="visually-hidden" for={`role-${u.username}`}>
                    {t('role')}
                  </label>
                  <RoleSelect id={`role-${u.username}`} value={u.role} onChange={(role) => void patch(u, { role })} />
                </td>
                <td>
                  <label class="visually-hidden" for={`agent-${u.username}`}>
                    {t('linkedAgent')}
                  </label>
                  <input
                    id={`agent-${u.username}`}
                    value={u.agentId ?? ''}
                    size={8}
                    onChange={(e) => void patch(u, { agentId: e.currentTarget.value.trim() || null })}
                  />
                </td>
                <td>
                  {u.disabled ? t('disabled') : t('enabled')}{' '}
                  <button type="button" class="link" onClick={() => void patch(u, { disabled: !u.disabled })}>
                    {u.disabled ? t('enable') : t('disable')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form class="card stack add-user" onSubmit={add} aria-labelledby="h-add-user">
        <h2 id="h-add-user">{t('addUser')}</h2>
        <label for="nu-name">{t('username')}</label>
        <input
          id="nu-name"
          required
          pattern="[a-z][a-z0-9_.\-]{0,31}"
          value={form.username}
          onInput={(e) => setForm({ ...form, username: e.currentTarget.value })}
        />
        <label for="nu-role">{t('role')}</label>
        <RoleSelect id="nu-role" value={form.role} onChange={(role) => setForm({ ...form, role })} />
        <label for="nu-password">{t('password')}</label>
        <input
          id="nu-password"
          type="password"
          autocomplete="new-password"
          minLength={8}
          required
          value={form.password}
          onInput={(e) => setForm({ ...form, password: e.currentTarget.value })}
        />
        <label for="nu-agent">{t('linkedAgent')}</label>
        <input id="nu-agent" value={form.agentId} onInput={(e) => setForm({ ...form, agentId: e.currentTarget.value })} />
        <button type="submit">{t('addUser')}</button>
      </form>
    </main>
  );
}
