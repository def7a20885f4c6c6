with customers as (
    select * from {{ ref('stg_crm__customers') }}
),

contacts as (
    select * from {{ ref('int_customer_contacts_unioned') }}
),

as_of as (
    -- The latest day the CRM export describes: tenure of active customers runs to it.
    select max(cast({{ local_timestamp('updated_at') }} as date)) as as_of_date
    from customers
),

contact_counts as (
    select
        customer_id,
        count(*) as lifetime_contacts,
        sum(case when contact_type = 'call' then 1 else 0 end) as lifetime_calls,
        sum(case when contact_type = 'case' then 1 else 0 end) as lifetime_cases,
        min(contacted_at) as first_contacted_at,
        max(contacted_at) as last_contacted_at
    from contacts
    group by customer_id
),

final as (
    select
        customers.customer_id,
        customers.customer_segment,
        customers.plan_name,
        customers.region,
        customers.customer_status,
        customers.created_local_date as created_date,
        customers.cancelled_local_date as churned_date,
        customers.cancel_reason,
        cast(
            {{ days_between(
                'customers.created_local_date',
                'coalesce(customers.cancelled_local_date, as_of.as_of_date)'
            ) }} as integer
        ) as tenure_days,
        customers.cancelled_local_date is not null as has_churned,
        cast(customers.monthly_revenue as decimal(18, 2)) as monthly_revenue,
        case
            when customers.cancelled_local_date is null
                then cast(customers.monthly_revenue as decimal(18, 2))
            else cast(0 as decimal(18, 2))
        end as current_monthly_revenue,
        cast(coalesce(contact_counts.lifetime_contacts, 0) as integer) as lifetime_contacts,
        cast(coalesce(contact_counts.lifetime_calls, 0) as integer) as lifetime_calls,
        cast(coalesce(contact_counts.lifetime_cases, 0) as integer) as lifetime_cases,
        contact_counts.first_contacted_at,
        contact_counts.last_contacted_at,
        as_of.as_of_date
    from customers
    cross join as_of
    left join contact_counts on customers.customer_id = contact_counts.customer_id
)

select * from final
