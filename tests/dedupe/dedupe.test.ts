import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { analyse } from '../../src/dedupe/fingerprint.js'
import { createDeduper, DEDUPE_DEFAULTS, dedupeArticles, foldUrl } from '../../src/dedupe/index.js'
import { createMemoryStore, createSqliteStore, type StateStore } from '../../src/store/index.js'
import type { Article } from '../../src/types.js'
import { loadLabelled } from '../helpers/labelled.js'
import { tempFile } from '../helpers/tmp.js'

const set = loadLabelled()
const byNote = (story: string, note: string) => {
  const a = set.articles.find((x) => x.story === story && x.note === note)
  if (!a) throw new Error(`no ${story} ${note}`)
  return structuredClone(a) as Article
}
const H = 3_600_000
const D = 24 * H

async function run(store: StateStore, batches: Article[][], now = new Date('2025-07-01T00:00:00Z')) {
  const tx = await store.begin()
  const deduper = createDeduper(store, { now: () => now })
  const outcomes = []
  for (const batch of batches) {
    const result = await deduper.add(batch)
    await tx.write({ stories: result.records })
    outcomes.push(...result.outcomes)
  }
  await tx.commit()
  return outcomes
}

async function stories(store: StateStore) {
  const out = []
  for await (const s of store.listStories({ limit: 1000 })) out.push(s)
  return out
}

describe('foldUrl', () => {
  it.each([
    ['https://baothaibinh.com.vn/tin/abc-123.html', 'http://www.baothaibinh.com.vn/tin/abc-123.html'],
    ['https://baothaibinh.com.vn/tin/abc-123/', 'https://m.baothaibinh.com.vn/tin/abc-123'],
    ['https://bao.vn/a?id=5&utm_source=rss&utm_medium=feed', 'https://bao.vn/a?id=5'],
    ['https://bao.vn/a?b=2&a=1#binh-luan', 'https://bao.vn/a?a=1&b=2&fbclid=xyz'],
    ['https://BAO.vn:443/tin/index.html', 'http://bao.vn/tin/'],
    ['https://bao.vn/tin/th%C3%A1i-b%C3%ACnh', 'https://bao.vn/tin/thái-bình'],
  ])('folds %s and %s to one form', (a, b) => {
    expect(foldUrl(a)).toBe(foldUrl(b))
  })

  it('keeps different pages apart, and does not throw on what is not a URL', () => {
    expect(foldUrl('https://bao.vn/a?id=5')).not.toBe(foldUrl('https://bao.vn/a?id=6'))
    expect(foldUrl('https://bao.vn/a')).not.toBe(foldUrl('https://other.vn/a'))
    expect(foldUrl('  Not A URL ')).toBe('not a url')
  })
})

describe('createDeduper', () => {
  it('updates a story when a known article comes back edited, and reports unchanged copies', async () => {
    const store = createMemoryStore()
    const original = byNote('H', 'original')
    const [first] = await run(store, [[original]])
    expect(first).toMatchObject({ kind: 'new' })

    const edited = {
      ...structuredClone(original),
      title: 'Khai mạc kỳ họp thứ 24 HĐND tỉnh Hà Tĩnh khóa XVIII',
      text: [...original.text.slice(0, 4), 'Kỳ họp xem xét thông qua 30 nghị quyết, nhiều hơn dự kiến ban đầu.'],
      updated: new Date(original.published.getTime() + 5 * H),
    }
    const [second] = await run(store, [[edited]])
    expect(second).toEqual({ storyId: first!.storyId, kind: 'updated' })
    const [again] = await run(store, [[structuredClone(edited)]])
    expect(again).toEqual({ storyId: first!.storyId, kind: 'unchanged' })

    const listed = await stories(store)
    expect(listed.length).toBe(1)
    expect(listed[0]?.primary.title).toBe('Khai mạc kỳ họp thứ 24 HĐND tỉnh Hà Tĩnh khóa XVIII')
    expect(listed[0]?.primary.text.at(-1)).toContain('30 nghị quyết')
    expect(listed[0]?.duplicates).toEqual([])
  })

  it('updates a copy (not the primary) in place', async () => {
    const store = createMemoryStore()
    const original = byNote('H', 'original')
    const copy = byNote('H', 'trimmed two paragraphs')
    const [a, b] = await run(store, [[original, copy]])
    expect(b).toEqual({ storyId: a!.storyId, kind: 'duplicate' })
    const [c] = await run(store, [[{ ...copy, title: 'Hà Tĩnh: Khai mạc kỳ họp thứ 24 HĐND tỉnh khóa XVIII' }]])
    expect(c).toEqual({ storyId: a!.storyId, kind: 'updated' })
    const [story] = await stories(store)
    expect(story?.primary.id).toBe(original.id)
    expect(story?.duplicates.map((d) => d.title)).toEqual(['Hà Tĩnh: Khai mạc kỳ họp thứ 24 HĐND tỉnh khóa XVIII'])
  })

  it('joins a copy arriving in a later run (new deduper, same SQLite file) to the existing story', async () => {
    const path = tempFile()
    const first = createSqliteStore({ path })
    await first.init()
    const [orig] = await run(first, [[byNote('A', 'original')]], new Date('2025-06-10T05:00:00Z'))
    await first.close()

    const second = createSqliteStore({ path })
    await second.init()
    const outcomes = await run(
      second,
      [[byNote('A', 'district copy, last paragraph trimmed, retitled')], [byNote('A', 'aggregator excerpt')]],
      new Date('2025-06-11T05:00:00Z'),
    )
    expect(outcomes).toEqual([
      { storyId: orig!.storyId, kind: 'duplicate' },
      { storyId: orig!.storyId, kind: 'duplicate' },
    ])
    const listed = await stories(second)
    expect(listed.length).toBe(1)
    expect(listed[0]?.primary.source.id).toBe('baothaibinh')
    expect(listed[0]?.duplicates.map((d) => d.source.id).sort()).toEqual(['kienxuong', 'tonghoptin'])
    const [record] = await second.getStories([orig!.storyId])
    expect(record?.firstSeen.toISOString()).toBe('2025-06-10T05:00:00.000Z')
    expect(record?.lastSeen.toISOString()).toBe('2025-06-11T05:00:00.000Z')
    await second.close()
  })

  it('makes the credited original the primary even when a copy came first', async () => {
    const store = createMemoryStore()
    const wire = set.articles.filter((a) => a.story === 'F').map((a) => structuredClone(a) as Article)
    await run(store, [[wire[0]!], wire.slice(1)])
    const listed = await stories(store)
    expect(listed.length).toBe(1)
    expect(listed[0]?.primary.source.id).toBe('baotintuc')
    expect(listed[0]?.duplicates.length).toBe(4)
    // the story keeps the id it was born with
    expect(listed[0]?.id).toBe(wire[0]!.id)
  })

  it('prefers the story of the outlet an excerpt credits', async () => {
    const lead = set.articles.find((a) => a.story === 'K' && a.note === 'original')!
    const x = structuredClone(lead) as Article
    const y = {
      ...(structuredClone(lead) as Article),
      id: 'https://truyenhinhnghean.vn/le-hoi',
      url: 'https://truyenhinhnghean.vn/le-hoi',
      source: { id: 'natv', feedUrl: 'https://truyenhinhnghean.vn/rss', title: 'Đài PT-TH Nghệ An' },
      text: [
        x.text[0]!,
        'Đài Phát thanh và Truyền hình tỉnh truyền hình trực tiếp chương trình nghệ thuật khai mạc, giới thiệu những làn điệu dân ca ví, giặm đặc sắc của quê hương.',
        'Trong khuôn khổ lễ hội còn có chương trình giao lưu của các nghệ nhân, câu lạc bộ dân ca đến từ nhiều huyện, thành phố, thị xã trong tỉnh và khách mời từ các tỉnh bạn.',
        'Du khách có thể đăng ký tham gia tour tham quan các di tích lịch sử cách mạng trên địa bàn tỉnh với mức giá ưu đãi trong suốt thời gian diễn ra lễ hội.',
      ],
    }
    // two stories that share only their first paragraph, from two separate runs' dedupers
    const store = createMemoryStore()
    const tx = await store.begin()
    const left = await createDeduper(createMemoryStore()).add([x])
    const right = await createDeduper(createMemoryStore()).add([y])
    await tx.write({ stories: [...left.records, ...right.records] })
    await tx.commit()
    const excerptOf = (credit: Article['credit'], words: number) => ({
      ...(structuredClone(lead) as Article),
      id: `https://tonghoptin24h.vn/${credit?.name}`,
      url: `https://tonghoptin24h.vn/${credit?.name}`,
      source: { id: 'agg', feedUrl: 'https://tonghoptin24h.vn/rss' },
      text: [x.text[0]!.split(' ').slice(0, words).join(' ')],
      published: new Date(x.published.getTime() + H),
      ...(credit ? { credit } : {}),
    })
    const [toX] = await run(store, [
      [excerptOf({ text: 'Theo Báo Nghệ An', name: 'Báo Nghệ An', domain: 'baonghean.vn' }, 25)],
    ])
    expect(toX).toEqual({ storyId: x.id, kind: 'duplicate' })
    const [toY] = await run(store, [[excerptOf({ text: 'Theo Đài PT-TH Nghệ An', name: 'Đài PT-TH Nghệ An' }, 27)]])
    expect(toY).toEqual({ storyId: y.id, kind: 'duplicate' })
  })

  it('calls lockKeys once per batch, with every key and bucket, before its lookups', async () => {
    const inner = createMemoryStore()
    const calls: string[] = []
    let locked: string[] = []
    const store: StateStore = {
      ...inner,
      kind: 'spy',
      lockKeys: async (keys) => {
        calls.push('lockKeys')
        locked = keys
      },
      findByKeys: (keys) => {
        calls.push('findByKeys')
        return inner.findByKeys(keys)
      },
      findByBuckets: (buckets, since) => {
        calls.push('findByBuckets')
        return inner.findByBuckets(buckets, since)
      },
    }
    const articles = [byNote('G', 'original'), byNote('R', 'original')]
    const { records } = await createDeduper(store).add(articles)
    expect(calls[0]).toBe('lockKeys')
    expect(calls.filter((c) => c === 'lockKeys').length).toBe(1)
    const expected = new Set(records.flatMap((r) => [...r.keys, ...r.buckets]))
    for (const k of expected) expect(locked).toContain(k)
    expect(locked).toContain(`u:${foldUrl(articles[0]!.url)}`)
  })

  it('looks up near-duplicate buckets only for articles their exact keys do not settle', async () => {
    const inner = createMemoryStore()
    const asked: string[][] = []
    const store: StateStore = {
      ...inner,
      kind: 'spy',
      findByBuckets: (buckets, since) => {
        asked.push(buckets)
        return inner.findByBuckets(buckets, since)
      },
    }
    const original = byNote('G', 'original')
    const other = byNote('R', 'original')
    await run(store, [[original]])
    // the same article again, a copy of it under another URL (same body), and an article not seen before
    const copy = { ...structuredClone(original), id: 'https://khac.example.vn/g', url: 'https://khac.example.vn/g' }
    copy.source = { id: 'khac', feedUrl: 'https://khac.example.vn/rss' }
    asked.length = 0
    const outcomes = await run(store, [[original, copy, other]])
    expect(outcomes.map((o) => o.kind)).toEqual(['unchanged', 'duplicate', 'new'])
    // what `other` probes: the buckets it is indexed under, its credit buckets of the other kind in their place
    const onlyOther = analyse(other).probes
    expect(asked).toEqual([expect.arrayContaining(onlyOther)])
    expect(asked[0]!.length).toBe(new Set(onlyOther).size)
  })

  it('loads and compares only stories that share two buckets or more with an article', async () => {
    const inner = createMemoryStore()
    const original = byNote('G', 'original')
    const other = byNote('R', 'original')
    const [stored] = await run(inner, [[original]])
    // an unrelated article; the store reports the stored story under one of its buckets, then under two of them
    const id = 'https://khac.example.vn/r'
    const article = { ...other, id, url: id, guid: id }
    const buckets = (await createDeduper(createMemoryStore()).add([other])).records[0]!.buckets
    const fetched: string[][] = []
    const spy = (shared: number): StateStore => ({
      ...inner,
      kind: 'spy',
      findByKeys: async () => new Map(),
      findByBuckets: async () => new Map(buckets.slice(0, shared).map((b) => [b, [stored!.storyId]])),
      getFingerprints: async (ids) => {
        fetched.push(ids)
        return inner.getFingerprints!(ids)
      },
    })
    const one = await createDeduper(spy(1)).add([article])
    expect(fetched).toEqual([])
    expect(one.outcomes[0]?.kind).toBe('new')
    await createDeduper(spy(2)).add([article])
    expect(fetched).toEqual([[stored!.storyId]])
  })

  it('does not ask again for a bucket found shared by more than 64 stories, unless its window starts later', async () => {
    const inner = createMemoryStore()
    const asked: { buckets: string[]; since: number }[] = []
    const other = byNote('R', 'original')
    const crowded = (await createDeduper(createMemoryStore()).add([other])).records[0]!.buckets[0]!
    const many = Array.from({ length: 65 }, (_, i) => `https://mau.example.vn/${i}`)
    const store: StateStore = {
      ...inner,
      kind: 'spy',
      findByBuckets: async (buckets, since) => {
        asked.push({ buckets, since: since.getTime() })
        return new Map(buckets.includes(crowded) ? [[crowded, many]] : [])
      },
    }
    const deduper = createDeduper(store)
    const copy = (n: number, shift: number) => {
      const id = `https://khac.example.vn/r${n}`
      return { ...other, id, url: id, guid: id, published: new Date(other.published.getTime() + shift) }
    }
    await deduper.add([copy(1, 0)])
    await deduper.add([copy(2, -D)]) // an earlier window: the bucket is still crowded
    await deduper.add([copy(3, 2 * D)]) // a later window: it may not be
    expect(asked.map((a) => a.buckets.includes(crowded))).toEqual([true, false, true])
    expect(asked[1]!.buckets.length).toBe(asked[0]!.buckets.length - 1)
  })

  it('keeps the same text far apart in time as two stories, and the later one does not claim the first one’s keys', async () => {
    const store = createMemoryStore()
    const a = byNote('R', 'original')
    const later = { ...structuredClone(a), id: 'https://baonamdinh.vn/nam-sau', url: 'https://baonamdinh.vn/nam-sau' }
    later.published = new Date(a.published.getTime() + 30 * D)
    const [x] = await run(store, [[a]])
    const [y] = await run(store, [[later]])
    expect(y?.kind).toBe('new')
    expect(y?.storyId).not.toBe(x?.storyId)
    const [rx, ry] = await store.getStories([x!.storyId, y!.storyId])
    const shared = rx!.keys.filter((k) => ry!.keys.includes(k))
    expect(shared).toEqual([])
    expect((await stories(store)).length).toBe(2)
  })

  it('lists the same article from two section feeds as two copies of one story, unchanged on the next run', async () => {
    const store = createMemoryStore()
    const a = byNote('S1', 'singleton')
    const other = { ...structuredClone(a), source: { ...a.source, id: 'baoquangbinh-dulich' } }
    const outcomes = await run(store, [[a], [other]])
    expect(outcomes.map((o) => o.kind)).toEqual(['new', 'duplicate'])
    const [story, ...rest] = await stories(store)
    expect(rest).toEqual([])
    expect([story!.primary, ...story!.duplicates].map((x) => x.source.id)).toEqual([a.source.id, 'baoquangbinh-dulich'])
    const again = await run(store, [[structuredClone(a), structuredClone(other)]], new Date('2025-07-01T01:00:00Z'))
    expect(again.map((o) => o.kind)).toEqual(['unchanged', 'unchanged'])
    expect((await stories(store))[0]!.duplicates.length).toBe(1)
  })

  it('returns nothing for an empty batch', async () => {
    expect(await createDeduper(createMemoryStore()).add([])).toEqual({ records: [], outcomes: [] })
    expect(dedupeArticles([])).toEqual([])
  })
})

describe('dedupeArticles: bad and thin input', () => {
  it('never merges two title-only items on their title alone', () => {
    const a = { ...byNote('D1', 'Thái Bình'), text: [], contentHtml: '' }
    const b = { ...byNote('D2', 'Nam Định, identical title'), text: [], contentHtml: '' }
    expect(dedupeArticles([a, b]).length).toBe(2)
  })

  it('reads an Invalid Date as "now" instead of matching across any window', () => {
    const a = byNote('B1', 'weekly fuel bulletin')
    const b = { ...byNote('B1', 'republished, Title Case'), published: new Date('not a date') }
    const stories = dedupeArticles([a, b])
    expect(stories.length).toBe(2) // a is from 2025, "now" is far outside the window
    expect(stories.every((s) => s.primary.published instanceof Date)).toBe(true)
  })

  it('rejects options out of range with a ConfigError naming the field', () => {
    expect(() => dedupeArticles([], { threshold: 2 })).toThrow(/dedupe\.threshold/)
    try {
      dedupeArticles([], { windowMs: Number.NaN })
    } catch (error) {
      expect(error).toMatchObject({ name: 'ConfigError', code: 'ERR_CONFIG_INVALID', path: 'dedupe.windowMs' })
    }
    expect(() => createDeduper(createMemoryStore(), { minWords: -1 })).toThrow(/dedupe\.minWords/)
  })

  it('honours a shorter window', () => {
    const a = byNote('A', 'original')
    const b = byNote('A', 'district copy, last paragraph trimmed, retitled') // one day later
    expect(dedupeArticles([a, b]).length).toBe(1)
    expect(dedupeArticles([a, b], { windowMs: 12 * H }).length).toBe(2)
  })

  it('exposes frozen defaults', () => {
    expect(Object.isFrozen(DEDUPE_DEFAULTS)).toBe(true)
    expect(DEDUPE_DEFAULTS).toMatchObject({ windowMs: 7 * D, threshold: 0.6, containmentThreshold: 0.8 })
  })
})

describe('dedupeArticles properties', () => {
  const syllables = [
    'tỉnh',
    'hội',
    'nghị',
    'kinh',
    'tế',
    'phát',
    'triển',
    'nông',
    'nghiệp',
    'thủy',
    'lợi',
    'hòa',
    'bình',
    'dân',
    'vận',
    'giáo',
    'dục',
    'y',
    'tế',
    'đường',
    'giao',
    'thông',
    'xây',
    'dựng',
    'sản',
    'xuất',
    'lúa',
    'khỏe',
    'mạnh',
    'quý',
    'thành',
    'phố',
    'huyện',
    'xã',
    'người',
    'lao',
    'động',
    'đầu',
    'tư',
    'dự',
    'án',
  ]
  const paragraph = fc.array(fc.constantFrom(...syllables), { minLength: 25, maxLength: 60 }).map((w) => w.join(' '))
  const base = (text: string[], n: number): Article => ({
    id: `https://bao.vn/${n}`,
    url: `https://bao.vn/${n}`,
    title: text[0]!.split(' ').slice(0, 8).join(' '),
    published: new Date(Date.UTC(2025, 5, 1, n)),
    contentHtml: '',
    text,
    images: [],
    enclosures: [],
    categories: [],
    source: { id: 'bao', feedUrl: 'https://bao.vn/rss' },
  })

  it('puts an original, its NFD copy and its trimmed copy in one story, and loses no article', () => {
    fc.assert(
      fc.property(fc.array(paragraph, { minLength: 3, maxLength: 6 }), (text) => {
        const original = base(text, 1)
        const copyNfd = {
          ...base(
            text.map((p) => p.normalize('NFD')),
            2,
          ),
          title: original.title.normalize('NFD'),
          url: 'https://other.vn/2',
          id: 'https://other.vn/2',
        }
        const trimmed = { ...base(text.slice(0, -1), 3), url: 'https://third.vn/3', id: 'https://third.vn/3' }
        const stories = dedupeArticles([trimmed, copyNfd, original])
        expect(stories.length).toBe(1)
        const ids = [stories[0]!.primary, ...stories[0]!.duplicates].map((a) => a.id).sort()
        expect(ids).toEqual([original.id, copyNfd.id, trimmed.id].sort())
        expect(stories[0]!.primary.id).toBe(original.id) // the earliest
      }),
      { numRuns: 40 },
    )
  })

  it('is deterministic and keeps every article exactly once', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(paragraph, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 12 }),
        (texts) => {
          const articles = texts.map((t, i) => base(t, i))
          const once = dedupeArticles(articles)
          const twice = dedupeArticles(articles)
          expect(twice.map((s) => s.id)).toEqual(once.map((s) => s.id))
          const ids = once.flatMap((s) => [s.primary, ...s.duplicates].map((a) => a.id)).sort()
          expect(ids).toEqual(articles.map((a) => a.id).sort())
        },
      ),
      { numRuns: 40 },
    )
  })
})
