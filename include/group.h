/* group.h: groups of reports (by source IP, network or advertised domain) and the cases people
 * work on them: state and history. */
#ifndef ARFDESK_GROUP_H
#define ARFDESK_GROUP_H

#include <stdint.h>
#include <time.h>

#include <sqlite3.h>

struct store;

/* X(name, summary): the kinds of group a case can be about. */
#define GROUP_KINDS(X) \
	X(ip, "the spam's source IP address") \
	X(net, "the source network: the /24 of an IPv4, the /48 of an IPv6") \
	X(domain, "a registrable domain the spam advertised") \
	X(customer, "the desk's own customer whose network or domain it hit")

/* X(name, summary): case states. */
#define CASE_STATES(X) \
	X(new, "nobody has looked at it yet") \
	X(open, "being worked on") \
	X(notified, "the owner has been told") \
	X(resolved, "the abuse stopped") \
	X(ignored, "not worth acting on")

int		 group_kind_find(const char *);
const char	*group_kind_list(void);
int		 case_state_find(const char *);
const char	*case_state_list(void);

enum group_sort { GROUP_SORT_REPORTS, GROUP_SORT_LAST, GROUP_SORT_KEY };

struct group_query {
	const char	*kind;
	const char	*state;		/* NULL: any */
	time_t		 since;		/* 0: all time */
	time_t		 until;		/* 0: no end; else seen before it */
	time_t		 imported_since;	/* 0: any; else imported since */
	const char	*type;		/* the class counted: NULL (spam), "all" or a class */
	int		 todo;		/* only what needs a person: new, open, recurring */
	const char	*in_net;	/* --by ip --in net:KEY: the addresses of that network */
	enum group_sort	 sort;
	long		 limit;		/* 0: no limit */
	long		 offset;	/* rows skipped first (the console's next page) */
	int		 no_reporters;	/* leave reporters at -1 (the console counts them
					 * for the rows it draws: group_reporters) */
};

struct group_row {
	int64_t		 id;		/* the case's row */
	const char	*kind;
	const char	*key;
	int64_t		 reports;
	time_t		 first_seen;
	time_t		 last_seen;
	const char	*state;
	int64_t		 reporters;	/* distinct complainants of all time; -1: not
					 * counted (groups: costs a read of every report) */
	int64_t		 not_spam;	/* not-spam reports, beside the count, never in it */
	const char	*recur_state;	/* recurring: complaints came after this state */
	time_t		 recur_at;
	int64_t		 recur_n;	/* 0: not recurring */
};

/* Call fn for each group; stops and returns fn's value when it is not 0. -1 on a store error. */
int	 group_list(struct store *, const struct group_query *,
	    int (*fn)(const struct group_row *, void *), void *);

/* The distinct complainants of all time of the case of row id; -1 on a store error. */
int64_t	 group_reporters(struct store *, int64_t id);

/* A case's spam complaints on each of ndays UTC days from day_from (days since the epoch),
 * into counts (zeroed first). 0, or -1 on a store error. */
int	 group_days(struct store *, const char *kind, const char *key, int64_t day_from,
	    size_t ndays, int64_t *counts);

/* What needs a person, of cases aliased c (NULL when the group has no case row: new): new or
 * open, or recurring in any state but ignored. SQL. */
#define CASE_TODO	"(COALESCE(c.state, 'new') IN ('new', 'open') OR" \
	" (c.recur_n > 0 AND c.state != 'ignored'))"

/* "3 since resolved on 2026-11-20", or "" when the case is not recurring, into out. */
void	 group_recur_text(const char *state, time_t at, int64_t n, char *out, size_t size);

/* The SQL condition (on reports aliased r, one bound parameter) selecting a case's reports. */
const char *group_report_filter(const char *kind);

struct case_event {
	time_t		 at;
	char		*user;
	char		*action;	/* "state", "assign" or "note" */
	char		*old_state;	/* state: the old and new state; assign: the old and */
	char		*new_state;	/* new assignee (NULL: none) */
	char		*note;
};

struct case_info {
	char		*kind;
	char		*key;
	char		*state;
	char		*assignee;	/* NULL: nobody */
	char		*recur_state;	/* the done state complaints came after, or NULL */
	char		*customer;	/* the desk's customer most of its reports hit, or NULL */
	time_t		 recur_at;	/* when it was set */
	int64_t		 recur_n;	/* spam complaints seen since */
	int64_t		 reports;	/* spam complaints */
	time_t		 first_seen;
	time_t		 last_seen;
	int64_t		 reporters;
	int64_t		 not_spam;
	time_t		 updated_at;	/* 0: never touched */
	struct case_event *events;
	size_t		 nevents;
};

int	 case_get(struct store *, const char *kind, const char *key, struct case_info *);
/* The columns of a case (cases aliased c) that case_info_read reads, in its order. */
#define CASE_COLUMNS	"c.kind, c.key, c.state, c.updated_at, c.assignee, c.recur_state," \
	" c.recur_at, c.recur_n, c.reports, c.first_seen, c.last_seen, c.not_spam, c.customer," \
	" (SELECT COUNT(*) FROM case_reporters r WHERE r.case_id = c.id), c.id"
enum case_sort { CASE_SORT_UPDATED, CASE_SORT_REPORTS, CASE_SORT_KEY };

/* Which cases, in what order, for `cases` and the console's cases view. */
struct case_query {
	const char	*state;		/* NULL: any */
	const char	*kind;		/* NULL: any */
	const char	*assignee;	/* NULL: anyone */
	int		 unassigned;	/* only those assigned to nobody */
	int		 todo;		/* only what needs a person */
	time_t		 since;		/* made, changed or reopened since; 0: any time */
	enum case_sort	 sort;
	long		 limit;		/* 0: no limit */
	long		 offset;
};

/* Call fn for each case (no history read); stops and returns fn's value when it is not 0; -1
 * on a store error (reported). */
int	 case_list(struct store *, const struct case_query *,
	    int (*fn)(const struct case_info *, void *), void *);
/* A row of CASE_COLUMNS into a zeroed case_info (no history); returns the case's id. */
int64_t	 case_info_read(sqlite3_stmt *, struct case_info *);
/* The group row of a case (pointing into it), for the JSON both print. */
void	 case_group_row(const struct case_info *, struct group_row *);
void	 case_info_free(struct case_info *);
/* One change to a case: any of a new state, an assignment and notes, made by user. */
struct case_change {
	const char		*state;		/* NULL: unchanged */
	int			 assign;	/* change the assignee to assignee */
	const char		*assignee;	/* NULL: nobody */
	const char *const	*notes;		/* appended in this order */
	size_t			 nnotes;
	const char		*user;
};

/* Apply the change in the open transaction, recording each part with who and when. */
int	 case_apply(struct store *, const char *kind, const char *key, const struct case_change *);

#endif
