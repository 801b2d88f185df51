// The console's one link to the info point page (issue 18), in the header next to "Esci".

import { enc } from '../api';
import { tv } from './i18n-visitors';

export function InfoPointLink({ slug }: { slug: string }) {
  return (
    <a class="header-link" href={`/${enc(slug)}/infopoint`}>
      {tv('ip.title')}
    </a>
  );
}
