/** The notebook a newcomer sees: generated sample data (scripts/generate-sample-data.mjs) and the seed's queries. */
export const SAMPLE_TITLE = 'Sample: daily sales';

export const SAMPLE_FILES = ['sales.csv', 'products.parquet', 'events.ndjson'];

export const SAMPLE_CELLS = [
  `-- The seed's batch job: daily totals per product
SELECT date, product_id, round(sum(amount), 2) AS total_amount, sum(quantity) AS total_quantity
FROM sales
GROUP BY ALL
ORDER BY date, product_id`,
  `-- Revenue per category: a join with the products table (loaded from Parquet)
SELECT p.category, count(*) AS orders, round(sum(s.amount), 2) AS revenue
FROM sales s JOIN products p USING (product_id)
GROUP BY ALL
ORDER BY revenue DESC`,
  `-- Events loaded from NDJSON: actions per user
SELECT action, count(*) AS events, count(DISTINCT user_id) AS users, round(avg(value), 2) AS avg_value
FROM events
GROUP BY ALL
ORDER BY events DESC`,
];
