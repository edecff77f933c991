/** The notebook a newcomer sees: generated sample data (scripts/generate-sample-data.mjs) and the seed's queries. */
export const SAMPLE_FILES = ['sales.csv', 'products.parquet', 'events.ndjson'];

export const SAMPLE_NOTEBOOK = `---
title: "Sample: daily sales"
---
# Daily sales

Sample data generated on this machine: **sales** (CSV), **products** (Parquet) and **events** (NDJSON).
Cells with a \`name\` become tables that later cells read; running a cell re-runs the cells that read it.

\`\`\`sql name=daily_sales
-- The seed's batch job: daily totals per product
SELECT date, product_id, round(sum(amount), 2) AS total_amount, sum(quantity) AS total_quantity
FROM sales
GROUP BY ALL
ORDER BY date, product_id
\`\`\`

Revenue per category joins the daily totals with the products table.

\`\`\`sql name=category_revenue
SELECT p.category, count(*) AS product_days, round(sum(d.total_amount), 2) AS revenue
FROM daily_sales d JOIN products p USING (product_id)
GROUP BY ALL
ORDER BY revenue DESC
\`\`\`

\`\`\`sql
-- Events: actions per user
SELECT action, count(*) AS events, count(DISTINCT user_id) AS users, round(avg(value), 2) AS avg_value
FROM events
GROUP BY ALL
ORDER BY events DESC
\`\`\`
`;
