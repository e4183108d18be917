import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { type CodingCounts, type Interview, surveys } from '../../api/surveys.ts';
import { useResource } from '../../api/use-resource.ts';
import { SelectField, TextField } from '../../components/fields.tsx';
import { FormError, useSubmission } from '../../components/form-state.tsx';
import { formatDate, plural } from '../../components/format.ts';
import { ErrorNotice, Loading } from '../../components/states.tsx';

type Passage = { start: number; end: number };
type Strand = CodingCounts['strands'][number];

/**
 * The selection inside `container` as character offsets of the text it shows, trimmed of white
 * space at either end; null when nothing (or something outside it) is selected. The container
 * holds the note's text and nothing else, so its text offsets are the note's.
 */
function selectionIn(container: HTMLElement, body: string): Passage | null {
  const selection = window.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return null;
  const before = document.createRange();
  before.selectNodeContents(container);
  before.setEnd(range.startContainer, range.startOffset);
  let start = before.toString().length;
  let end = start + range.toString().length;
  while (start < end && /\s/.test(body[start] ?? '')) start++;
  while (end > start && /\s/.test(body[end - 1] ?? '')) end--;
  return end > start ? { start, end } : null;
}

/** The note cut where any coded passage starts or ends, each piece with the strands covering it. */
function pieces(body: string, passages: Interview['passages']): { from: number; to: number; strands: string[] }[] {
  const cuts = [...new Set([0, body.length, ...passages.flatMap((p) => [p.start, p.end])])].filter((c) => c >= 0 && c <= body.length).sort((a, b) => a - b);
  const out: { from: number; to: number; strands: string[] }[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const from = cuts[i]!;
    const to = cuts[i + 1]!;
    out.push({ from, to, strands: [...new Set(passages.filter((p) => p.start <= from && p.end >= to).map((p) => p.strand))] });
  }
  return out;
}

/**
 * One note open for coding: select a passage with the mouse (or paste it, for keyboards), choose
 * the strand it speaks to, and code it; coded passages are marked in the text and listed, each
 * removable.
 */
export function PassageCoder({ interviewId, strands, onChanged, onClose }: { interviewId: number; strands: Strand[]; onChanged: () => void; onClose: () => void }) {
  const [version, setVersion] = useState(0);
  const note = useResource(`survey-interview:${interviewId}:${version}`, (signal) => surveys.interview(interviewId, signal));
  const n = note.data;
  return (
    <section className="panel passage-coder" aria-labelledby="coder-heading" data-testid="passage-coder" aria-busy={note.state === 'loading'}>
      <div className="panel-head">
        <h2 id="coder-heading">{n ? n.title : 'Interview note'}</h2>
        <button type="button" className="button button-secondary button-small" onClick={onClose}>
          Close the note
        </button>
      </div>
      {note.state === 'loading' && !n ? <Loading label="Opening the note…" /> : null}
      {note.state === 'error' ? <ErrorNotice error={note.error} onRetry={note.reload} /> : null}
      {n ? (
        <CoderBody
          note={n}
          strands={strands}
          onChanged={() => {
            setVersion((v) => v + 1);
            onChanged();
          }}
        />
      ) : null}
    </section>
  );
}

function CoderBody({ note, strands, onChanged }: { note: Interview; strands: Strand[]; onChanged: () => void }) {
  const body = note.body;
  const container = useRef<HTMLDivElement>(null);
  const [passage, setPassage] = useState<Passage | null>(null);
  const [pasted, setPasted] = useState('');
  const [strand, setStrand] = useState(strands[0]?.code ?? '');
  const [comment, setComment] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const submission = useSubmission();
  const removal = useSubmission();
  const segments = useMemo(() => pieces(body, note.passages), [body, note.passages]);
  const label = new Map(strands.map((s) => [s.code, s.label]));

  useEffect(() => {
    const track = () => {
      if (!container.current) return;
      const found = selectionIn(container.current, body);
      if (found) {
        setPassage(found);
        setPasted('');
      }
    };
    document.addEventListener('selectionchange', track);
    return () => document.removeEventListener('selectionchange', track);
  }, [body]);

  const findPasted = (text: string) => {
    setPasted(text);
    const t = text.trim();
    const at = t ? body.indexOf(t) : -1;
    setPassage(at >= 0 ? { start: at, end: at + t.length } : null);
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!passage) {
      submission.refuse([{ path: 'start', message: 'select a passage in the note first (or paste it)' }]);
      return;
    }
    const coded = await submission.run(() => surveys.code(note.id, { strand, start: passage.start, end: passage.end, comment: comment.trim() || null }));
    if (coded) {
      setMessage(`Coded to ${coded.strand}: “${excerpt(coded.passage)}”.`);
      setPassage(null);
      setPasted('');
      setComment('');
      window.getSelection()?.removeAllRanges();
      onChanged();
    }
  };

  return (
    <>
      <p className="small muted">
        {[note.school?.name, note.heldOn ? `held ${formatDate(note.heldOn)}` : null, note.recordedBy ? `added by ${note.recordedBy}` : null, plural(note.passages.length, 'coded passage')]
          .filter(Boolean)
          .join(' · ')}
      </p>
      <div className="interview-body" ref={container} data-testid="interview-body">
        {segments.map((s) =>
          s.strands.length > 0 ? (
            <mark key={s.from} data-strands={s.strands.join(' ')} title={s.strands.map((c) => `${c} ${label.get(c) ?? ''}`).join('; ')}>
              {body.slice(s.from, s.to)}
            </mark>
          ) : (
            <span key={s.from}>{body.slice(s.from, s.to)}</span>
          ),
        )}
      </div>
      <form className="coding-form" onSubmit={submit} noValidate aria-label="Code a passage">
        <FormError submission={submission} title="The passage was not coded" />
        <p className="selected-passage" data-testid="selected-passage" aria-live="polite">
          {passage ? (
            <>
              Selected (characters {passage.start + 1}–{passage.end}): “{excerpt(body.slice(passage.start, passage.end))}”
            </>
          ) : (
            <span className="muted">Select a passage in the note above with the mouse, or paste it below.</span>
          )}
        </p>
        <div className="form-grid">
          <TextField id="coding-paste" label="Or paste the passage" hint="Its first occurrence in the note is used" value={pasted} onChange={findPasted} />
          <SelectField
            id="coding-strand"
            label="Strand"
            value={strand}
            onChange={setStrand}
            options={strands.map((s) => ({ value: s.code, label: `${s.code} · ${s.label}` }))}
            error={submission.fieldError('strand')}
          />
          <TextField id="coding-comment" label="Comment (optional)" value={comment} onChange={setComment} error={submission.fieldError('comment')} />
        </div>
        <div className="form-actions">
          <button type="submit" className="button" disabled={submission.busy || !passage}>
            Code the passage
          </button>
          <span role="status" className="muted">
            {message ?? ''}
          </span>
        </div>
      </form>
      <FormError submission={removal} title="The coding was not removed" />
      {note.passages.length > 0 ? (
        <>
          <h3>Coded passages</h3>
          <ul className="coded-passages" data-testid="coded-passages">
            {note.passages.map((p) => (
              <li key={p.id} data-strand={p.strand}>
                <span className="badge badge-kind">{p.strand}</span> “{excerpt(p.passage, 240)}”{p.comment ? <span className="sub">{p.comment}</span> : null}
                <button
                  type="button"
                  className="link-button"
                  disabled={removal.busy}
                  onClick={async () => {
                    const done = await removal.run(async () => {
                      await surveys.uncode(p.id);
                      return true;
                    });
                    if (done) onChanged();
                  }}
                >
                  Remove<span className="visually-hidden"> the {p.strand} coding</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}

const excerpt = (text: string, max = 120) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
