-- 輝くテレワーク賞 (テレワーク推進企業等厚生労働大臣表彰): rounds by fiscal year,
-- employers' applications (one per organisation and round), the judges'
-- reviews (a declaration of conflict of interest first, then a score per
-- criterion and a comment) and the results an administrator decides and
-- publishes.
-- (The same schema as migrations/postgres/0019_award.sql.)
CREATE TABLE award_rounds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    fiscal_year BIGINT NOT NULL UNIQUE CHECK (fiscal_year BETWEEN 2015 AND 2100),
    opens_on TEXT NOT NULL CHECK (length(opens_on) = 10),
    closes_on TEXT NOT NULL CHECK (length(closes_on) = 10 AND closes_on >= opens_on),
    status TEXT NOT NULL DEFAULT 'accepting' CHECK (status IN ('accepting', 'screening', 'published')),
    published_on TEXT CHECK (published_on IS NULL OR length(published_on) = 10),
    created_at TEXT NOT NULL
);

CREATE TABLE award_applications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id BIGINT NOT NULL REFERENCES award_rounds (id),
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted')),
    background TEXT NOT NULL DEFAULT '' CHECK (length(background) <= 2000),
    practices TEXT NOT NULL DEFAULT '' CHECK (length(practices) <= 2000),
    outcomes TEXT NOT NULL DEFAULT '' CHECK (length(outcomes) <= 2000),
    workers BIGINT CHECK (workers IS NULL OR workers BETWEEN 1 AND 1000000),
    teleworkers BIGINT CHECK (teleworkers IS NULL OR teleworkers BETWEEN 0 AND 1000000),
    telework_days BIGINT CHECK (telework_days IS NULL OR telework_days BETWEEN 0 AND 100000000),
    result TEXT CHECK (result IS NULL OR result IN ('excellence', 'encouragement', 'not_selected')),
    created_by BIGINT REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    submitted_at TEXT,
    UNIQUE (round_id, organization_id)
);
CREATE INDEX award_applications_org ON award_applications (organization_id);

CREATE TABLE award_reviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id BIGINT NOT NULL REFERENCES award_applications (id),
    judge_id BIGINT NOT NULL REFERENCES users (id),
    conflict BIGINT NOT NULL CHECK (conflict IN (0, 1)),
    comment TEXT NOT NULL DEFAULT '' CHECK (length(comment) <= 2000),
    declared_at TEXT NOT NULL,
    scored_at TEXT,
    UNIQUE (application_id, judge_id)
);

CREATE TABLE award_scores (
    review_id BIGINT NOT NULL REFERENCES award_reviews (id),
    criterion TEXT NOT NULL CHECK (criterion IN ('leadership', 'system', 'practice', 'outcome', 'spread')),
    score BIGINT NOT NULL CHECK (score BETWEEN 1 AND 5),
    PRIMARY KEY (review_id, criterion)
);
