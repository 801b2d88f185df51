// The administration's "Postazioni" tab (docs/API.md, "Queue tickets (eliminacode)"): the
// counters of the ente with their site, services and state; create one, rename it, change the
// services it serves, deactivate or reactivate it. Field errors from the server are shown next
// to the field; successes in a polite live region.

import { useEffect, useState } from 'preact/hooks';
import { api, enc, listOf } from '../api';
import { apiMessage, CheckboxGroup, FormMessages, SelectField, TextField, useSubmit } from '../components/forms';
import { tq } from './i18n-queue';
import { countersPath, type Counter } from './queue-api';

interface Named {
  id: string;
  name: string;
  prefix?: string;
}

export function CountersSection({ slug }: { slug: string }) {
  const [counters, setCounters] = useState<Counter[] | null>(null);
  const [sites, setSites] = useState<Named[]>([]);
  const [services, setServices] = useState<Named[]>([]);
  const [editing, setEditing] = useState<string | null>(null); // counter id, or '' for a new one
  const [name, setName] = useState('');
  const [site, setSite] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const { state, run } = useSubmit((f) => f === 'name' || f === 'services' || f === 'site');

  const load = async () => {
    try {
      setCounters((await api<{ counters: Counter[] }>('GET', countersPath(slug))).counters);
    } catch (e) {
      setLoadError(apiMessage(e));
    }
  };
  useEffect(() => {
    void load();
    api<unknown>('GET', `/api/v1/enti/${enc(slug)}/sites`)
      .then((a) => setSites(listOf<Named>(a, 'sites')))
      .catch(() => undefined);
    api<unknown>('GET', `/api/v1/enti/${enc(slug)}/services`)
      .then((a) => setServices(listOf<Named>(a, 'services')))
      .catch(() => undefined);
  }, [slug]);

  const siteName = (id: string) => sites.find((s) => s.id === id)?.name ?? '';
  const serviceLabel = (id: string) => {
    const s = services.find((x) => x.id === id);
    return s ? `${s.prefix ?? ''} · ${s.name}` : id;
  };

  const edit = (k: Counter | null) => {
    setEditing(k ? k.id : '');
    setName(k?.name ?? '');
    setSite(k?.site_id ?? sites[0]?.id ?? '');
    setChosen(k?.services ?? []);
  };

  const save = (e: Event) => {
    e.preventDefault();
    const creating = editing === '';
    void run(async () => {
      if (creating) {
        await api('POST', countersPath(slug), { name: name.trim(), site, services: chosen });
      } else {
        await api('PATCH', `/api/v1/counters/${enc(editing ?? '')}`, { name: name.trim(), services: chosen });
      }
      setEditing(null);
      await load();
      return tq('admin.counterSaved', { name: name.trim() });
    });
  };

  const setActive = (k: Counter, active: boolean) =>
    void run(async () => {
      await api('PATCH', `/api/v1/counters/${enc(k.id)}`, { active });
      await load();
      return tq(active ? 'admin.counterOn' : 'admin.counterOff', { name: k.name });
    });

  return (
    <section aria-labelledby="counters-title" id="admin-counters">
      <h3 id="counters-title" class="h4">
        {tq('admin.counters')}
      </h3>
      {loadError && (
        <div class="alert alert-danger" role="alert">
          {loadError}
        </div>
      )}
      <FormMessages error={state.formError} success={state.success} />
      {counters && (
        <div class="table-responsive">
          <table class="table table-sm" id="counters-table">
            <caption>{tq('admin.countersCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{tq('admin.counterName')}</th>
                <th scope="col">{tq('admin.counterSite')}</th>
                <th scope="col">{tq('admin.counterServices')}</th>
                <th scope="col">{tq('admin.counterActive')}</th>
                <th scope="col">{tq('admin.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {counters.map((k) => (
                <tr data-counter={k.name}>
                  <th scope="row">{k.name}</th>
                  <td>{siteName(k.site_id)}</td>
                  <td>{k.services.map(serviceLabel).join(', ')}</td>
                  <td>{k.active === false ? tq('admin.no') : tq('admin.yes')}</td>
                  <td>
                    <button type="button" class="btn btn-sm btn-outline-primary me-2" onClick={() => edit(k)} aria-label={tq('admin.editCounter', { name: k.name })}>
                      {tq('admin.edit')}
                    </button>
                    <button
                      type="button"
                      class="btn btn-sm btn-outline-secondary"
                      disabled={state.busy}
                      onClick={() => setActive(k, k.active === false)}
                      aria-label={tq(k.active === false ? 'admin.activateCounter' : 'admin.deactivateCounter', { name: k.name })}
                    >
                      {k.active === false ? tq('admin.activate') : tq('admin.deactivate')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing === null ? (
        <button type="button" class="btn btn-primary" onClick={() => edit(null)}>
          {tq('admin.newCounter')}
        </button>
      ) : (
        <form onSubmit={save} id="counter-form" noValidate>
          <h4 class="h5">{editing === '' ? tq('admin.newCounter') : tq('admin.editCounter', { name })}</h4>
          <TextField id="counter-name" label={tq('admin.counterName')} required value={name} onInput={setName} maxLength={40} error={state.errors.name} />
          {editing === '' && (
            <SelectField id="counter-site" label={tq('admin.counterSite')} required value={site} onChange={setSite} options={sites.map((s) => ({ value: s.id, label: s.name }))} error={state.errors.site} />
          )}
          <CheckboxGroup
            id="counter-services"
            label={tq('admin.counterServices')}
            required
            values={chosen}
            onChange={setChosen}
            options={services.map((s) => ({ value: s.id, label: serviceLabel(s.id) }))}
            error={state.errors.services}
          />
          <button type="submit" class="btn btn-primary me-2" disabled={state.busy}>
            {tq('admin.save')}
          </button>
          <button type="button" class="btn btn-outline-primary" onClick={() => setEditing(null)}>
            {tq('admin.cancel')}
          </button>
        </form>
      )}
    </section>
  );
}
