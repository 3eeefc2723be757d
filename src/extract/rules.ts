/**
 * The shipped per-site rules, most specific first. A config's `rules` are tried before these. Each rule names the
 * article body and, where the site has them, the sapo (lead), title, byline and date elements, plus what to drop
 * inside the body (related-news boxes, share bars, ads). Generic junk (scripts, forms, share/related/comment
 * boxes by class, link lists) is dropped whatever the rule says.
 *
 * The selectors follow the sites' CMS markup; the fixtures in tests/fixtures/extract/ are written in those shapes.
 * Sites change their markup: a rule that no longer matches falls through to JSON-LD and readability.
 */
import type { ExtractRule } from './types.js'

/** Tuổi Trẻ, Thanh Niên and Báo Chính phủ share one CMS (data-role attributes, VCSortableInPreviewMode boxes). */
function detailCms(host: string): ExtractRule {
  return {
    host,
    body: '.detail-content[data-role=content], [data-role=content], .detail-content',
    lead: '.detail-sapo, [data-role=sapo]',
    title: '.detail-title, [data-role=title], h1',
    byline: '.detail-author .name, .author-info .name, .detail-author, .author-info',
    date: '[data-role=publishdate], .detail-time',
    remove: [
      '[type=RelatedOneNews]',
      '[type=RelatedNews]',
      '[type=RelatedNewsBox]',
      '.VCSortableInPreviewMode[type=link]',
      '.kbwscwl-relatedbox',
      '.detail-tab',
      '.box-related',
      '.boxtinlienquan',
    ],
  }
}

/** Provincial papers' CMSes: one body container, a sapo above it, the author last. */
function provincialCms(host: string): ExtractRule {
  return {
    host,
    body: '.detail-content-body, #content-detail, .article-content, .news-content, .content-detail, .post-content',
    lead: '.detail-sapo, .sapo, .article-sapo, .news-sapo, .summary, .lead, .detail-summary',
    title: '.detail-title, .article-title, .news-title, .post-title, h1',
    byline: '.detail-author, .article-author, .author, .news-author, .tacgia',
    date: '.detail-time, .article-date, .news-date, .post-date, .date, time',
    remove: ['.related-news', '.tin-lien-quan', '.tinlienquan', '.news-other', '.other-news', '.box-tag', '.tags'],
  }
}

const VNEXPRESS: ExtractRule = {
  host: 'vnexpress.net',
  body: 'article.fck_detail, .fck_detail',
  lead: 'p.description',
  title: 'h1.title-detail, h1.title_news_detail',
  byline: 'p.author_mail, article.fck_detail > p.Normal[align=right], article.fck_detail > p.Normal[style*="right"]',
  date: 'span.date',
  remove: ['.box-tinlienquanv2', '.box_tinlienquan', '.list-news', '.box_brief_info', '.footer-content'],
}

const DANTRI: ExtractRule = {
  host: 'dantri.com.vn',
  body: '.singular-content',
  lead: '.singular-sapo',
  title: 'h1.title-page, .singular-title, h1',
  byline: '.author-name, .singular-author',
  date: 'time.author-time, .author-time',
  remove: ['.article-related', '.singular-related', '.news-related', '.dt-related'],
}

const VIETNAMNET: ExtractRule = {
  host: 'vietnamnet.vn',
  body: '.maincontent, #maincontent',
  lead: '.content-detail-sapo, .article-detail-sapo',
  title: '.content-detail-title, h1',
  byline: '.article-detail-author__info .name, .article-detail-author .name, .ArticleAuthor',
  date: '.bread-crumb-detail__time, .publish-date',
  remove: ['.article-relate', '.insert-wiki-content', '.box-related', '.vnn-share-social'],
}

const NHANDAN: ExtractRule = {
  host: 'nhandan.vn',
  body: '.article__body',
  lead: '.article__sapo',
  title: '.article__title, h1',
  byline: '.article__author',
  date: '.article__meta time, time.time, .article__meta .time',
  remove: ['.article__related', '.box-related', '.article__tag'],
}

export const EXTRACT_RULES: readonly ExtractRule[] = Object.freeze([
  VNEXPRESS,
  detailCms('tuoitre.vn'),
  detailCms('thanhnien.vn'),
  detailCms('baochinhphu.vn'),
  detailCms('chinhphu.vn'),
  DANTRI,
  VIETNAMNET,
  NHANDAN,
  provincialCms('baothaibinh.com.vn'),
  provincialCms('baobacgiang.vn'),
  provincialCms('baocantho.com.vn'),
])

/** A shipped CMS layout recognised by its markup on any host. */
export interface Layout {
  /** reported as the result's `rule`: `layout:<name>` */
  name: string
  /** markup only that CMS writes; the layout applies when it matches */
  signature: string
  rule: ExtractRule
}

/**
 * The shipped rules whose CMS markup is distinctive enough to be recognised on a host without a rule of its own (a
 * syndicated copy, an edition on another domain, a paper on the same vendor's CMS): tried after the host's rules,
 * before JSON-LD and Readability, which cost several times more. The provincial CMSes' class names are too common
 * elsewhere to be signatures.
 */
export const LAYOUTS: readonly Layout[] = Object.freeze([
  { name: 'vnexpress', signature: 'article.fck_detail', rule: VNEXPRESS },
  { name: 'detail-cms', signature: '.detail-content[data-role=content]', rule: detailCms('*') },
  { name: 'dantri', signature: '.singular-content', rule: DANTRI },
  { name: 'vietnamnet', signature: '#maincontent.maincontent', rule: VIETNAMNET },
  { name: 'nhandan', signature: '.article__body.cms-body', rule: NHANDAN },
])
