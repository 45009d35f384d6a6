"""Category tree with the topics courses are written about (root -> subcategory -> topics)."""

from __future__ import annotations

# Each topic: (name, tags). Titles, subtitles and descriptions are built around the name.
Topic = tuple[str, tuple[str, ...]]

CATEGORY_TREE: dict[str, dict[str, list[Topic]]] = {
    "Development": {
        "Web Development": [
            ("JavaScript", ("javascript", "web", "frontend")),
            ("React", ("react", "javascript", "frontend")),
            ("Node.js", ("nodejs", "javascript", "backend")),
            ("HTML and CSS", ("html", "css", "frontend")),
            ("TypeScript", ("typescript", "javascript")),
            ("Vue.js", ("vue", "javascript", "frontend")),
            ("Django", ("django", "python", "backend")),
            ("Next.js", ("nextjs", "react", "fullstack")),
            ("Angular", ("angular", "typescript", "frontend")),
            ("Redux", ("redux", "react", "state management")),
        ],
        "Data Science": [
            ("Machine Learning", ("machine learning", "python", "ai")),
            ("Data Analysis with Pandas", ("pandas", "python", "data analysis")),
            ("Deep Learning", ("deep learning", "neural networks", "ai")),
            ("Statistics for Data Science", ("statistics", "data science")),
            ("Natural Language Processing", ("nlp", "machine learning", "ai")),
            ("Data Visualization", ("data visualization", "matplotlib", "python")),
        ],
        "Mobile Development": [
            ("iOS Development with Swift", ("swift", "ios", "mobile")),
            ("Android Development with Kotlin", ("kotlin", "android", "mobile")),
            ("Flutter", ("flutter", "dart", "mobile")),
            ("React Native", ("react native", "javascript", "mobile")),
        ],
        "Programming Languages": [
            ("Python", ("python", "programming")),
            ("Java", ("java", "programming", "oop")),
            ("C++", ("cpp", "programming")),
            ("Go", ("golang", "programming", "backend")),
            ("Rust", ("rust", "programming", "systems")),
            ("C#", ("csharp", "dotnet", "programming")),
        ],
        "Game Development": [
            ("Unity", ("unity", "csharp", "game development")),
            ("Unreal Engine", ("unreal engine", "cpp", "game development")),
            ("Godot", ("godot", "game development")),
        ],
        "Databases": [
            ("SQL", ("sql", "databases")),
            ("PostgreSQL", ("postgresql", "sql", "databases")),
            ("MongoDB", ("mongodb", "nosql", "databases")),
        ],
        "No-Code Development": [
            ("Bubble No-Code Apps", ("bubble", "no-code", "apps")),
        ],
        "Software Engineering": [
            ("Design Patterns", ("design patterns", "software architecture", "oop")),
            ("Data Structures and Algorithms", ("algorithms", "data structures", "interviews")),
        ],
        "Software Testing": [
            ("Selenium", ("selenium", "test automation", "qa")),
            ("Unit Testing", ("unit testing", "tdd", "qa")),
        ],
    },
    "IT & Software": {
        "Cloud Computing": [
            ("AWS Certified Solutions Architect", ("aws", "cloud", "certification")),
            ("Microsoft Azure", ("azure", "cloud")),
            ("Google Cloud Platform", ("gcp", "cloud")),
        ],
        "DevOps": [
            ("Docker", ("docker", "containers", "devops")),
            ("Kubernetes", ("kubernetes", "containers", "devops")),
            ("Terraform", ("terraform", "infrastructure as code", "devops")),
            ("CI/CD with GitHub Actions", ("ci/cd", "github actions", "devops")),
        ],
        "Network & Security": [
            ("Ethical Hacking", ("ethical hacking", "cybersecurity", "penetration testing")),
            ("CompTIA Security+", ("comptia", "cybersecurity", "certification")),
            ("Network Fundamentals", ("networking", "tcp/ip", "cisco")),
        ],
        "Operating Systems": [
            ("Linux Administration", ("linux", "bash", "sysadmin")),
            ("Windows Server", ("windows server", "sysadmin")),
        ],
        "Hardware": [
            ("Computer Hardware and Repair", ("hardware", "pc building", "it support")),
        ],
        "IT Certifications": [
            ("CompTIA A+", ("comptia", "it support", "certification")),
            ("Cisco CCNA", ("cisco", "ccna", "networking")),
        ],
    },
    "Business": {
        "Entrepreneurship": [
            ("Starting a Business", ("entrepreneurship", "startup", "business plan")),
            ("Startup Fundraising", ("fundraising", "venture capital", "startup")),
            ("Lean Startup", ("lean startup", "mvp", "entrepreneurship")),
        ],
        "Management": [
            ("Project Management", ("project management", "pmp", "agile")),
            ("Leadership", ("leadership", "management", "teams")),
            ("Agile and Scrum", ("scrum", "agile", "project management")),
        ],
        "Sales": [
            ("B2B Sales", ("sales", "b2b", "negotiation")),
            ("Negotiation", ("negotiation", "sales", "communication")),
        ],
        "Business Strategy": [
            ("Business Strategy", ("strategy", "business model", "management")),
            ("Product Management", ("product management", "roadmap", "strategy")),
        ],
        "Human Resources": [
            ("Recruiting and Hiring", ("recruiting", "hr", "hiring")),
        ],
        "E-Commerce": [
            ("Shopify Store", ("shopify", "ecommerce", "online store")),
            ("Amazon FBA", ("amazon fba", "ecommerce", "selling online")),
        ],
        "Business Analytics": [
            ("Excel for Business", ("excel", "spreadsheets", "business analytics")),
            ("Power BI", ("power bi", "dashboards", "business intelligence")),
            ("Tableau", ("tableau", "data visualization", "business intelligence")),
        ],
    },
    "Finance & Accounting": {
        "Investing & Trading": [
            ("Stock Market Investing", ("investing", "stocks", "trading")),
            ("Cryptocurrency", ("cryptocurrency", "bitcoin", "blockchain")),
            ("Options Trading", ("options", "trading", "investing")),
        ],
        "Accounting & Bookkeeping": [
            ("Accounting Fundamentals", ("accounting", "bookkeeping", "finance")),
            ("QuickBooks", ("quickbooks", "bookkeeping", "accounting")),
        ],
        "Financial Modeling": [
            ("Financial Modeling in Excel", ("financial modeling", "excel", "valuation")),
            ("Corporate Finance", ("corporate finance", "valuation", "finance")),
        ],
        "Taxes": [
            ("Small Business Taxes", ("taxes", "small business", "accounting")),
        ],
        "Personal Finance": [
            ("Personal Budgeting", ("budgeting", "personal finance", "saving")),
            ("Retirement Planning", ("retirement", "personal finance", "investing")),
        ],
    },
    "Office Productivity": {
        "Microsoft Office": [
            ("Microsoft Excel", ("excel", "spreadsheets", "office")),
            ("Microsoft Word", ("word", "office", "documents")),
            ("PowerPoint Presentations", ("powerpoint", "presentations", "office")),
        ],
        "Google Workspace": [
            ("Google Sheets", ("google sheets", "spreadsheets")),
            ("Google Workspace Productivity", ("google workspace", "productivity")),
        ],
        "Apple Software": [
            ("Mac Productivity", ("macos", "apple", "productivity")),
        ],
        "Productivity Tools": [
            ("Notion", ("notion", "productivity", "note taking")),
            ("Time Management", ("time management", "productivity", "focus")),
        ],
    },
    "Personal Development": {
        "Personal Productivity": [
            ("Productivity Habits", ("productivity", "habits", "focus")),
            ("Speed Reading", ("speed reading", "learning", "memory")),
        ],
        "Communication": [
            ("Public Speaking", ("public speaking", "communication", "presentations")),
            ("Business Writing", ("writing", "communication", "business")),
        ],
        "Career Development": [
            ("Job Interview Skills", ("interviews", "career", "job search")),
            ("Resume Writing", ("resume", "career", "job search")),
        ],
        "Memory & Study Skills": [
            ("Study Skills", ("study skills", "memory", "learning")),
        ],
        "Personal Growth": [
            ("Mindfulness", ("mindfulness", "meditation", "stress")),
            ("Emotional Intelligence", ("emotional intelligence", "soft skills")),
        ],
    },
    "Design": {
        "Graphic Design": [
            ("Adobe Photoshop", ("photoshop", "adobe", "photo editing")),
            ("Adobe Illustrator", ("illustrator", "adobe", "vector graphics")),
            ("Logo Design", ("logo design", "branding", "graphic design")),
            ("Canva", ("canva", "graphic design", "social media")),
        ],
        "Web Design": [
            ("Figma", ("figma", "ui design", "prototyping")),
            ("UX Design", ("user experience", "ux", "ui design")),
            ("Web Design with WordPress", ("wordpress", "web design", "cms")),
        ],
        "3D & Animation": [
            ("Blender", ("blender", "3d modeling", "animation")),
            ("After Effects", ("after effects", "motion graphics", "adobe")),
        ],
        "Fashion Design": [
            ("Fashion Illustration", ("fashion design", "illustration", "sewing")),
        ],
        "Interior Design": [
            ("Interior Design Basics", ("interior design", "home decor")),
        ],
    },
    "Marketing": {
        "Digital Marketing": [
            ("Digital Marketing", ("digital marketing", "online marketing", "strategy")),
            ("Email Marketing", ("email marketing", "newsletters", "automation")),
            ("Google Ads", ("google ads", "ppc", "advertising")),
        ],
        "Search Engine Optimization": [
            ("SEO", ("seo", "search engine optimization", "google")),
            ("Keyword Research", ("keyword research", "seo", "content")),
        ],
        "Social Media Marketing": [
            ("Instagram Marketing", ("instagram", "social media", "influencer")),
            ("Facebook Ads", ("facebook ads", "advertising", "social media")),
            ("TikTok Marketing", ("tiktok", "social media", "video")),
        ],
        "Affiliate Marketing": [
            ("Affiliate Marketing", ("affiliate marketing", "passive income", "blogging")),
        ],
        "Branding": [
            ("Personal Branding", ("personal branding", "linkedin", "branding")),
        ],
        "Content Marketing": [
            ("Copywriting", ("copywriting", "writing", "content marketing")),
            ("Blogging", ("blogging", "content marketing", "writing")),
        ],
    },
    "Lifestyle": {
        "Arts & Crafts": [
            ("Watercolor Painting", ("watercolor", "painting", "art")),
            ("Drawing", ("drawing", "sketching", "art")),
        ],
        "Food & Beverage": [
            ("Cooking Basics", ("cooking", "recipes", "kitchen")),
            ("Baking Bread", ("baking", "bread", "sourdough")),
        ],
        "Travel": [
            ("Travel Hacking", ("travel", "budget travel")),
        ],
        "Gaming": [
            ("Chess Strategy", ("chess", "strategy", "games")),
        ],
        "Pet Care": [
            ("Dog Training", ("dog training", "pets", "obedience")),
        ],
    },
    "Photography & Video": {
        "Digital Photography": [
            ("Photography Masterclass", ("photography", "camera", "composition")),
            ("Portrait Photography", ("portrait", "photography", "lighting")),
        ],
        "Video Production": [
            ("Video Editing with Premiere Pro", ("premiere pro", "video editing", "adobe")),
            ("DaVinci Resolve", ("davinci resolve", "video editing", "color grading")),
            ("YouTube Content Creation", ("youtube", "video", "content creation")),
        ],
        "Mobile Photography": [
            ("iPhone Photography", ("iphone", "mobile photography", "photography")),
        ],
        "Photo Editing": [
            ("Adobe Lightroom", ("lightroom", "photo editing", "adobe")),
        ],
    },
    "Health & Fitness": {
        "Fitness": [
            ("Strength Training", ("strength training", "fitness", "workout")),
            ("Home Workouts", ("home workout", "fitness", "bodyweight")),
        ],
        "Yoga": [
            ("Yoga Practice", ("yoga", "flexibility", "wellness")),
        ],
        "Nutrition": [
            ("Nutrition Science", ("nutrition", "diet", "health")),
            ("Meal Prep", ("meal prep", "nutrition", "cooking")),
        ],
        "Sports": [
            ("Running", ("running", "marathon", "endurance")),
        ],
        "Mental Health": [
            ("Stress Management", ("stress", "mental health", "mindfulness")),
        ],
    },
    "Music": {
        "Instruments": [
            ("Guitar", ("guitar", "music", "chords")),
            ("Piano", ("piano", "music", "keyboard")),
            ("Drums", ("drums", "music", "rhythm")),
        ],
        "Music Production": [
            ("Ableton Live", ("ableton", "music production", "daw")),
            ("FL Studio", ("fl studio", "music production", "beats")),
            ("Mixing and Mastering", ("mixing", "mastering", "audio")),
        ],
        "Music Fundamentals": [
            ("Music Theory", ("music theory", "harmony", "composition")),
        ],
        "Music Software": [
            ("Logic Pro", ("logic pro", "music production", "apple")),
        ],
        "Vocal": [
            ("Singing", ("singing", "vocal", "voice")),
        ],
    },
    "Teaching & Academics": {
        "Math": [
            ("Calculus", ("calculus", "math", "derivatives")),
            ("Linear Algebra", ("linear algebra", "math", "matrices")),
            ("Probability", ("probability", "math", "statistics")),
        ],
        "Science": [
            ("Physics", ("physics", "science", "mechanics")),
            ("Chemistry", ("chemistry", "science")),
        ],
        "Engineering": [
            ("Electrical Engineering", ("electrical engineering", "circuits")),
            ("Arduino", ("arduino", "electronics", "microcontrollers")),
        ],
        "Social Science": [
            ("Psychology", ("psychology", "behavior", "mind")),
        ],
        "Online Education": [
            ("Teaching Online", ("online teaching", "course creation", "education")),
        ],
    },
    "Language Learning": {
        "English": [
            ("English Grammar", ("english", "grammar", "esl")),
            ("IELTS Preparation", ("ielts", "english", "exam prep")),
        ],
        "Spanish": [("Spanish Language", ("spanish", "language", "conversation"))],
        "German": [("German Language", ("german", "language", "grammar"))],
        "Japanese": [("Japanese Language", ("japanese", "hiragana", "language"))],
        "Portuguese": [("Portuguese Language", ("portuguese", "language", "brazil"))],
        "French": [("French Language", ("french", "language", "conversation"))],
    },
    "Test Prep": {
        "Test Taking Skills": [
            ("GMAT Preparation", ("gmat", "test prep", "mba")),
            ("SAT Math", ("sat", "test prep", "math")),
        ],
        "Professional Certifications": [
            ("PMP Exam Prep", ("pmp", "project management", "certification")),
            ("CFA Level I", ("cfa", "finance", "certification")),
        ],
        "Grad Entry Exam": [
            ("GRE Preparation", ("gre", "test prep", "graduate school")),
        ],
    },
}
